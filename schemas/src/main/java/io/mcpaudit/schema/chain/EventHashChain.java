package io.mcpaudit.schema.chain;

import io.mcpaudit.event.AuditEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Numbers one agent's events and chains their hashes, so that the pipeline can tell
 * a lost, duplicated, reordered or altered event from an intact trail.
 *
 * <p>{@code hash = SHA-256(previousHash || avroBinary(event with hash = ""))}. One
 * instance per agent; not thread-safe (the agent links events on one emitter thread).
 */
public final class EventHashChain {
  /** previousHash of an agent's first event. */
  public static final String GENESIS = "0".repeat(64);

  private long lastSequence;
  private String lastHash;

  /** A chain starting fresh (sequence 1 next). */
  public EventHashChain() {
    this(0, GENESIS);
  }

  /** A chain resuming after {@code lastSequence} whose hash was {@code lastHash} (agent restart). */
  public EventHashChain(long lastSequence, String lastHash) {
    this.lastSequence = lastSequence;
    this.lastHash = lastHash;
  }

  /** Returns the event numbered and linked into the chain (sequence, previousHash, hash set), and advances the chain. */
  public AuditEvent link(AuditEvent event) {
    AuditEvent unhashed = AuditEvent.newBuilder(event)
        .setSequence(lastSequence + 1)
        .setPreviousHash(lastHash)
        .setHash("")
        .build();
    AuditEvent linked = AuditEvent.newBuilder(unhashed).setHash(hashOf(unhashed)).build();
    lastSequence = linked.getSequence();
    lastHash = linked.getHash();
    return linked;
  }

  public long lastSequence() {
    return lastSequence;
  }

  public String lastHash() {
    return lastHash;
  }

  /** Recomputes an event's hash from its content and its previousHash. */
  public static String hashOf(AuditEvent event) {
    AuditEvent unhashed = event.getHash().isEmpty() ? event : AuditEvent.newBuilder(event).setHash("").build();
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(event.getPreviousHash().getBytes(StandardCharsets.US_ASCII));
      sha256.update(encode(unhashed));
      return HexFormat.of().formatHex(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Whether the event's stored hash matches its content. */
  public static boolean isIntact(AuditEvent event) {
    return hashOf(event).equals(event.getHash());
  }

  private static byte[] encode(AuditEvent event) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(512);
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      new SpecificDatumWriter<AuditEvent>(AuditEvent.getClassSchema()).write(event, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
