package io.mcpaudit.router.config;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A URL with placeholders that a page's link is made from, e.g.
 * {@code https://dashboards.example/app/mcp-audit#/trace/{session}}. Values are URL-encoded;
 * a placeholder whose value is unknown becomes empty.
 */
public record LinkTemplate(String template) {
  /** The placeholders a template may use. */
  public static final Set<String> PLACEHOLDERS =
      Set.of("session", "alert_id", "dedup_key", "server", "rule_id", "category");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]*)}");

  /** Checks the placeholders and that the result would be an absolute http(s) URL. */
  static LinkTemplate parse(String template) {
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      if (!PLACEHOLDERS.contains(m.group(1))) {
        throw new IllegalArgumentException("unknown placeholder {" + m.group(1) + "}; use "
            + String.join(", ", PLACEHOLDERS.stream().sorted().map(p -> "{" + p + "}").toList()));
      }
    }
    String sample = m.replaceAll("x");
    if (!(sample.startsWith("https://") || sample.startsWith("http://"))) {
      throw new IllegalArgumentException("'" + template + "' must start with https:// (or http://)");
    }
    try {
      java.net.URI.create(sample);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + template + "' is not a URL: " + e.getMessage());
    }
    return new LinkTemplate(template);
  }

  public String expand(Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.getOrDefault(m.group(1), "");
      m.appendReplacement(out, Matcher.quoteReplacement(
          URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8).replace("+", "%20")));
    }
    m.appendTail(out);
    return out.toString();
  }
}
