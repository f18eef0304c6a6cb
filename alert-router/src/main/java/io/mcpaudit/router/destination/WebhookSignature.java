package io.mcpaudit.router.destination;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature generic webhooks carry: {@code X-McpAudit-Signature: v1=<hex HMAC-SHA-256 of
 * "<timestamp>.<body>">} with {@code X-McpAudit-Timestamp: <unix seconds>}. Receivers recompute
 * it over the raw body, compare in constant time, and reject timestamps outside a tolerance so a
 * captured request cannot be replayed later. {@link #verify} is that check, for Java receivers.
 */
public final class WebhookSignature {
  public static final String TIMESTAMP_HEADER = "X-McpAudit-Timestamp";
  public static final String SIGNATURE_HEADER = "X-McpAudit-Signature";
  public static final String DELIVERY_HEADER = "X-McpAudit-Delivery";
  public static final String VERSION = "v1";

  private WebhookSignature() {}

  /** {@code v1=<hex>} for a body sent at {@code timestampSeconds}. */
  public static String sign(String secret, long timestampSeconds, byte[] body) {
    return VERSION + "=" + HexFormat.of().formatHex(hmac(secret, timestampSeconds, body));
  }

  /**
   * Whether a received request is authentic and fresh.
   *
   * @param signatureHeader the {@code X-McpAudit-Signature} value; several comma-separated
   *                        signatures are accepted (one per secret during a rotation)
   * @param tolerance       how far the timestamp may be from {@code now}, either way (5 minutes is usual)
   */
  public static boolean verify(String secret, String timestampHeader, String signatureHeader, byte[] body,
                               Instant now, Duration tolerance) {
    if (timestampHeader == null || signatureHeader == null) {
      return false;
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(timestampHeader.trim());
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(now.getEpochSecond() - timestamp) > tolerance.toSeconds()) {
      return false;
    }
    byte[] expected = hmac(secret, timestamp, body);
    for (String part : signatureHeader.split(",")) {
      String p = part.trim();
      if (p.startsWith(VERSION + "=")) {
        byte[] given;
        try {
          given = HexFormat.of().parseHex(p.substring(VERSION.length() + 1));
        } catch (IllegalArgumentException e) {
          continue;
        }
        if (MessageDigest.isEqual(expected, given)) {
          return true;
        }
      }
    }
    return false;
  }

  private static byte[] hmac(String secret, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA-256 is unavailable: " + e.getMessage(), e);
    }
  }
}
