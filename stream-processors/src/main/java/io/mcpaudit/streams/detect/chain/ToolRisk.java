package io.mcpaudit.streams.detect.chain;

import com.google.re2j.Pattern;
import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.event.RiskTier;

/**
 * Decides which tool calls are high-risk and so need a human approval. In order: the tool's own
 * annotations (a {@code destructiveHint} makes it high-risk, a {@code readOnlyHint} makes it
 * low-risk), then the tool name against the high-risk verb pattern, then the server's risk tier
 * (on a {@code critical} server every call not marked read-only is high-risk). Ordinary reads and
 * additive work (list, get, search, read, create an issue) stay quiet.
 */
public final class ToolRisk {
  /**
   * Verbs that write, execute, send or delete, as whole words. Matched against the tool name in
   * snake case ({@code deleteFile}, {@code delete-file} and {@code delete.file} all become
   * {@code delete_file}), so the pattern needs no look-around (RE2 has none).
   */
  public static final String DEFAULT_HIGH_RISK_NAMES =
      "(^|_)(write|overwrite|edit|move|rename|delete|remove|rm|drop|destroy|purge|truncate"
          + "|exec|execute|run|shell|bash|sh|cmd|command|eval|spawn|kill|terminate|send|email|mail|post|publish|notify"
          + "|transfer|pay|payment|deploy|push|merge|install|uninstall|grant|revoke|approve|chmod|chown)(_|$)";

  private final Pattern highRiskNames;

  public ToolRisk(String highRiskNamePattern) {
    this.highRiskNames = Pattern.compile(highRiskNamePattern);
  }

  public static ToolRisk defaults() {
    return new ToolRisk(DEFAULT_HIGH_RISK_NAMES);
  }

  /** Why the call is high-risk, or null when it is not. */
  public String highRiskReason(String toolName, ToolHints hints, InventoryEntry server) {
    if (hints != null && Boolean.TRUE.equals(hints.destructive())) {
      return "the tool declares destructiveHint";
    }
    if (hints != null && Boolean.TRUE.equals(hints.readOnly())) {
      return null;
    }
    if (highRiskNames.matcher(snakeCase(toolName)).find()) {
      return "the tool name says it writes, executes, sends or deletes";
    }
    if (server != null && server.getRiskTier() == RiskTier.CRITICAL) {
      return "the server's inventory risk tier is critical";
    }
    return null;
  }

  static String snakeCase(String name) {
    StringBuilder out = new StringBuilder(name.length() + 8);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(name.charAt(i - 1))) {
        out.append('_');
      }
      out.append(c == '-' || c == '.' || c == ' ' || c == '/' ? '_' : Character.toLowerCase(c));
    }
    return out.toString();
  }

  /** What a tool said about itself in tools/list (hints are the server's claims, not guarantees). */
  public record ToolHints(Boolean readOnly, Boolean destructive) {}
}
