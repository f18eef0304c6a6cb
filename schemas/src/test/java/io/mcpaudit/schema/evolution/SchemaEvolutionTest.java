package io.mcpaudit.schema.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.event.SessionTrace;
import io.mcpaudit.schema.SampleEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Schema evolution stays BACKWARD compatible: data already in Kafka stays readable
 * by every later version of the pipeline.
 */
class SchemaEvolutionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aVersion1ReaderReadsDataWrittenByAVersion2ThatAddsAField() throws Exception {
    Schema v1 = AuditEvent.getClassSchema();
    Schema v2 = withAddedEnvelopeField(v1, "agentVersion");
    AuditEvent original = SampleEvents.toolCall("s1", "read_file", "{\"path\":\"/srv/a.md\"}");

    // Write with v2: the same event plus the new field set.
    GenericRecord asV2 = reencode(original, v2);
    asV2.put("agentVersion", "1.4.0");
    byte[] v2Bytes = encode(asV2, new GenericDatumWriter<>(v2));

    AuditEvent readByV1 = new SpecificDatumReader<AuditEvent>(v2, v1, SpecificData.getForSchema(v1))
        .read(null, DecoderFactory.get().binaryDecoder(v2Bytes, null));

    assertThat(readByV1).isEqualTo(original);
  }

  @Test
  void aVersion2ReaderFillsTheDefaultForDataWrittenByVersion1() throws Exception {
    Schema v1 = AuditEvent.getClassSchema();
    Schema v2 = withAddedEnvelopeField(v1, "agentVersion");
    AuditEvent original = SampleEvents.toolCall("s1", "read_file", "{}");
    byte[] v1Bytes = encode(original, new SpecificDatumWriter<>(v1));

    GenericRecord readByV2 = new GenericDatumReader<GenericRecord>(v1, v2)
        .read(null, DecoderFactory.get().binaryDecoder(v1Bytes, null));

    assertThat(readByV2.get("agentVersion")).isNull();
    assertThat(readByV2.get("sessionId")).hasToString("s1");
  }

  @Test
  void addingAFieldWithoutADefaultIsCaughtAsIncompatible() throws Exception {
    Schema v1 = AuditEvent.getClassSchema();
    ObjectNode json = (ObjectNode) JSON.readTree(v1.toString());
    ((ArrayNode) json.get("fields")).addObject().put("name", "tenant").put("type", "string");
    Schema broken = new Schema.Parser().parse(json.toString());

    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(broken, v1).getType())
        .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
  }

  static Stream<Schema> publishedSchemas() {
    return Stream.of(AuditEvent.getClassSchema(), Alert.getClassSchema(), SessionTrace.getClassSchema(),
        InventoryEntry.getClassSchema());
  }

  /** The current schemas can read everything written with the released v1 baseline (src/test/resources/released). */
  @ParameterizedTest
  @MethodSource("publishedSchemas")
  void currentSchemasReadTheReleasedBaseline(Schema current) throws IOException {
    String resource = "/released/v1/" + current.getName() + ".avsc";
    try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream(resource)) {
      assertThat(in).as("baseline %s exists", resource).isNotNull();
      Schema released = new Schema.Parser().parse(in);
      SchemaCompatibility.SchemaPairCompatibility result =
          SchemaCompatibility.checkReaderWriterCompatibility(current, released);
      assertThat(result.getType())
          .as("%s must stay BACKWARD compatible with %s: %s", current.getFullName(), resource,
              result.getResult().getIncompatibilities())
          .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }
  }

  private static Schema withAddedEnvelopeField(Schema v1, String name) throws IOException {
    ObjectNode json = (ObjectNode) JSON.readTree(v1.toString());
    ObjectNode field = ((ArrayNode) json.get("fields")).addObject();
    field.put("name", name);
    field.putArray("type").add("null").add("string");
    field.putNull("default");
    return new Schema.Parser().parse(json.toString());
  }

  private static GenericRecord reencode(AuditEvent event, Schema target) throws IOException {
    byte[] bytes = encode(event, new SpecificDatumWriter<>(AuditEvent.getClassSchema()));
    return new GenericDatumReader<GenericRecord>(AuditEvent.getClassSchema(), target, GenericData.get())
        .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
  }

  private static <T> byte[] encode(T record, org.apache.avro.io.DatumWriter<T> writer) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    writer.write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
