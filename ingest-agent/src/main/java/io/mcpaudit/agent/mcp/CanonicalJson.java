package io.mcpaudit.agent.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The JSON Canonicalization Scheme (RFC 8785) over Jackson trees: the one byte form
 * that tool-definition and argument hashes are computed from, so that key order and
 * whitespace never change a hash.
 *
 * <p>Written here rather than taken from Maven Central: the JCS libraries published
 * there (io.github.erdtman:java-json-canonicalization 1.1, unmaintained since 2020;
 * com.apicatalog:titanium-jcs over jakarta.json) each bring a second JSON parser,
 * while the agent already holds every message as a Jackson tree. The only subtle
 * part, ECMAScript number formatting, is done exactly with BigDecimal (shortest
 * digits that round-trip, nearest when several do) and checked against the RFC's
 * number table in the tests.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  /** The canonical text of a JSON value. */
  public static String canonicalize(JsonNode node) {
    StringBuilder out = new StringBuilder(256);
    write(node, out);
    return out.toString();
  }

  /** The canonical UTF-8 bytes of a JSON value. */
  public static byte[] canonicalBytes(JsonNode node) {
    return canonicalize(node).getBytes(StandardCharsets.UTF_8);
  }

  /** SHA-256 (hex) of the canonical UTF-8 bytes. */
  public static String sha256(JsonNode node) {
    return Hashes.sha256Hex(canonicalBytes(node));
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.append("null");
    } else if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.size());
      node.fields().forEachRemaining(fields::add);
      // String.compareTo orders by UTF-16 code units, which is what RFC 8785 prescribes.
      fields.sort(Map.Entry.comparingByKey());
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonNode> field : fields) {
        if (!first) {
          out.append(',');
        }
        first = false;
        writeString(field.getKey(), out);
        out.append(':');
        write(field.getValue(), out);
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      Iterator<JsonNode> elements = node.elements();
      boolean first = true;
      while (elements.hasNext()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        write(elements.next(), out);
      }
      out.append(']');
    } else if (node.isTextual()) {
      writeString(node.textValue(), out);
    } else if (node.isBoolean()) {
      out.append(node.booleanValue());
    } else if (node.isNumber()) {
      out.append(formatNumber(node.doubleValue()));
    } else if (node.isBinary()) {
      writeString(node.asText(), out);
    } else {
      writeString(node.asText(), out);
    }
  }

  private static void writeString(String value, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** ECMAScript Number.prototype.toString for finite doubles, as RFC 8785 section 3.2.2.3 requires. */
  static String formatNumber(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("JSON has no representation for " + value);
    }
    if (value == 0) {
      return "0"; // also -0
    }
    if (value < 0) {
      return "-" + formatNumber(-value);
    }
    BigDecimal shortest = shortestRoundTrip(value);
    String digits = shortest.unscaledValue().toString();
    int trailingZeros = 0;
    while (trailingZeros < digits.length() - 1 && digits.charAt(digits.length() - 1 - trailingZeros) == '0') {
      trailingZeros++;
    }
    digits = digits.substring(0, digits.length() - trailingZeros);
    int k = digits.length();
    // value = digits × 10^(n−k)
    int n = k - shortest.scale() + trailingZeros;
    StringBuilder out = new StringBuilder(24);
    if (k <= n && n <= 21) {
      out.append(digits).append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      out.append(digits.charAt(0));
      if (k > 1) {
        out.append('.').append(digits, 1, k);
      }
      out.append('e').append(n - 1 >= 0 ? "+" : "-").append(Math.abs(n - 1));
    }
    return out.toString();
  }

  /** The decimal with the fewest significant digits that reads back as exactly {@code value}; nearest on ties. */
  private static BigDecimal shortestRoundTrip(double value) {
    BigDecimal exact = new BigDecimal(value);
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
      BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
      boolean downOk = down.doubleValue() == value;
      boolean upOk = up.doubleValue() == value;
      if (downOk && upOk) {
        int cmp = exact.subtract(down).compareTo(up.subtract(exact));
        if (cmp < 0) {
          return down;
        }
        if (cmp > 0) {
          return up;
        }
        // Exactly halfway: ECMAScript leaves it open; take the even last digit like HALF_EVEN would.
        return exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      }
      if (downOk) {
        return down;
      }
      if (upOk) {
        return up;
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
  }
}
