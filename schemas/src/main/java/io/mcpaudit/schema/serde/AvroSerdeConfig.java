package io.mcpaudit.schema.serde;

import java.util.Map;

/** Serde settings with the keys Confluent's serializers use. */
public record AvroSerdeConfig(boolean autoRegisterSchemas, boolean useLatestVersion) {
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  public static final String USE_LATEST_VERSION = "use.latest.version";

  public static AvroSerdeConfig defaults() {
    return new AvroSerdeConfig(true, false);
  }

  public static AvroSerdeConfig fromProperties(Map<String, ?> props) {
    return new AvroSerdeConfig(
        bool(props, AUTO_REGISTER_SCHEMAS, true),
        bool(props, USE_LATEST_VERSION, false));
  }

  private static boolean bool(Map<String, ?> props, String key, boolean fallback) {
    Object value = props.get(key);
    if (value == null) {
      return fallback;
    }
    String text = value.toString().trim();
    if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(key + " must be true or false, got '" + text + "'");
    }
    return Boolean.parseBoolean(text);
  }
}
