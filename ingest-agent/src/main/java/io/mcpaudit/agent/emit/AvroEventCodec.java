package io.mcpaudit.agent.emit;

import io.mcpaudit.event.AuditEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/** Plain Avro binary of an {@link AuditEvent} (no registry header): the spool's record body. */
public final class AvroEventCodec {
  private final SpecificDatumWriter<AuditEvent> writer =
      new SpecificDatumWriter<>(AuditEvent.getClassSchema(), SpecificData.getForSchema(AuditEvent.getClassSchema()));
  private final SpecificDatumReader<AuditEvent> reader =
      new SpecificDatumReader<>(AuditEvent.getClassSchema(), AuditEvent.getClassSchema(),
          SpecificData.getForSchema(AuditEvent.getClassSchema()));

  public byte[] encode(AuditEvent event) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(512);
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writer.write(event, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public AuditEvent decode(byte[] bytes) {
    try {
      return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    } catch (IOException e) {
      throw new UncheckedIOException("a spooled event could not be decoded", e);
    }
  }
}
