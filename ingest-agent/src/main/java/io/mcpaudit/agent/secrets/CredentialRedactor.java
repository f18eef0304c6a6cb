package io.mcpaudit.agent.secrets;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.mcpaudit.agent.mcp.Hashes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Replaces credential-looking strings in untrusted text with
 * {@code [REDACTED:<kind>:<first 8 hex of the secret's SHA-256>]}, so that the secret
 * never leaves the agent while the same secret still correlates across events.
 *
 * <p>Patterns run on RE2/J, whose matching time is linear in the input: tool results
 * are attacker-controlled and must not be able to stall the agent with backtracking.
 * A cheap literal check skips patterns whose anchor text does not occur at all.
 * Thread-safe.
 */
public final class CredentialRedactor {
  /** Where a redaction placeholder starts; used to never redact a placeholder twice. */
  public static final String PLACEHOLDER_PREFIX = "[REDACTED:";

  private record Rule(String kind, Pattern pattern, int secretGroup, List<String> anchors) {}

  /** Order matters: specific kinds first, so that the generic key=value rule does not claim them. */
  private static final List<Rule> RULES = List.of(
      new Rule("private-key", Pattern.compile(
          "-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\\s\\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\\z)"),
          0, List.of("private key")),
      new Rule("jwt", Pattern.compile("\\beyJ[A-Za-z0-9_-]{4,}\\.eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*"),
          0, List.of("eyj")),
      new Rule("github-token", Pattern.compile(
          "\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})"),
          0, List.of("gh", "github_pat_")),
      new Rule("slack-token", Pattern.compile("\\bxox[a-z]-[A-Za-z0-9-]{10,}"), 0, List.of("xox")),
      new Rule("aws-access-key", Pattern.compile("\\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\\b"),
          0, List.of("akia", "asia", "abia", "acca", "a3t")),
      new Rule("bearer-token", Pattern.compile("(?i)\\bbearer\\s+([A-Za-z0-9._~+/-]{16,}=*)"), 1, List.of("bearer")),
      new Rule("url-password", Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s:/@\"'<>]+:([^\\s@/\"'<>]+)@"),
          1, List.of("://")),
      new Rule("api-key", Pattern.compile(
          "(?i)\\b(?:[a-z0-9]+[_-])*(?:api[_-]?key|apikey|access[_-]?key|secret[_-]?key|access[_-]?token|auth[_-]?token"
              + "|client[_-]?secret|password|passwd|pwd|secret|token)[\"']?\\s*[:=]\\s*[\"']?([^\\s\"'&,;{}\\[\\]]{6,})"),
          1, List.of("key", "token", "secret", "pass", "pwd")));

  /** The redacted text and the kinds of credentials found (in order of first appearance, no repeats). */
  public record Result(String text, List<String> kinds) {
    public boolean redactedAnything() {
      return !kinds.isEmpty();
    }
  }

  public Result redact(String text) {
    if (text == null || text.isEmpty()) {
      return new Result(text == null ? "" : text, List.of());
    }
    String lower = text.toLowerCase(Locale.ROOT);
    Set<String> kinds = new LinkedHashSet<>();
    String current = text;
    for (Rule rule : RULES) {
      if (!mayOccur(rule, lower)) {
        continue;
      }
      current = apply(rule, current, kinds);
    }
    return new Result(current, List.copyOf(kinds));
  }

  private static boolean mayOccur(Rule rule, String lowerText) {
    for (String anchor : rule.anchors()) {
      if (lowerText.contains(anchor)) {
        return true;
      }
    }
    return false;
  }

  private static String apply(Rule rule, String text, Set<String> kinds) {
    Matcher matcher = rule.pattern().matcher(text);
    StringBuilder out = null;
    int copied = 0;
    while (matcher.find()) {
      int start = matcher.start(rule.secretGroup());
      int end = matcher.end(rule.secretGroup());
      if (start < 0 || start == end || insidePlaceholder(text, matcher.start())) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      String secret = text.substring(start, end);
      out.append(text, copied, start).append(placeholder(rule.kind(), secret));
      copied = end;
      kinds.add(rule.kind());
    }
    if (out == null) {
      return text;
    }
    out.append(text, copied, text.length());
    return out.toString();
  }

  /** Whether {@code index} falls within a placeholder an earlier rule wrote (never redact those again). */
  private static boolean insidePlaceholder(String text, int index) {
    int open = text.lastIndexOf(PLACEHOLDER_PREFIX, index);
    if (open < 0) {
      return false;
    }
    int close = text.indexOf(']', open);
    return close < 0 || close >= index;
  }

  static String placeholder(String kind, String secret) {
    return PLACEHOLDER_PREFIX + kind + ":" + Hashes.sha256Hex(secret).substring(0, 8) + "]";
  }

  /** The kinds this redactor knows, for documentation and tests. */
  public static List<String> kinds() {
    List<String> kinds = new ArrayList<>();
    RULES.forEach(rule -> kinds.add(rule.kind()));
    return kinds;
  }
}
