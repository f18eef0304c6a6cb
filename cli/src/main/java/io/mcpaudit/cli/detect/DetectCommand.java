package io.mcpaudit.cli.detect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpaudit.agent.capture.CaptureReplay;
import io.mcpaudit.cli.capture.CaptureEvents;
import io.mcpaudit.cli.stack.RepoPaths;
import io.mcpaudit.event.Alert;
import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.rules.LoadResult;
import io.mcpaudit.rules.RuleLoader;
import io.mcpaudit.rules.RuleProblem;
import io.mcpaudit.streams.detect.chain.ToolRisk;
import io.mcpaudit.streams.inventory.InventoryFile;
import io.mcpaudit.streams.offline.OfflineDetection;
import io.mcpaudit.streams.rules.EngineRuleStage;
import io.mcpaudit.streams.topology.DetectorCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mcp-audit detect}: replays a capture through the same detection topology the pipeline
 * runs, in-process and deterministically, and prints the alerts (contracts/detections.md).
 */
@Command(name = "detect", mixinStandardHelpOptions = true,
    description = {"Replay a capture (mcp-capture/1) through the detection topology and print the alerts.",
        "Event time comes from the capture, so the same capture always gives the same alerts.",
        "Exit code 0 when the capture was read (alerts or not), 2 when it cannot be read at all."},
    footer = {"", "Examples:", "  ./mcp-audit detect --input incident.jsonl",
        "  ./mcp-audit detect --input incident.jsonl --format json | jq -r .category | sort | uniq -c"})
public final class DetectCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  enum Format { table, json }

  @Spec
  private CommandSpec spec;

  @Option(names = "--input", required = true, paramLabel = "CAPTURE", description = "The capture file (JSON Lines).")
  private Path input;

  @Option(names = "--format", defaultValue = "table", description = "table or json (one object per alert per line).")
  private Format format;

  @Option(names = "--rules", paramLabel = "DIR", description = "Rule pack (default: detection-rules/rules).")
  private Path rules;

  @Option(names = "--inventory", paramLabel = "FILE", description = "Server inventory YAML to check servers against.")
  private Path inventory;

  @Option(names = "--fingerprint-key", paramLabel = "FILE",
      defaultValue = "${env:MCP_AUDIT_FINGERPRINT_KEY_FILE:-${sys:user.home}/.mcp-audit/agent/fingerprint.key}",
      description = "Key for fingerprinting raw tokens in hand-written captures (default: the agent's key if present).")
  private Path fingerprintKey;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CaptureReplay.Result capture;
    try {
      capture = CaptureEvents.read(input, fingerprintKey, err);
    } catch (java.io.IOException e) {
      err.println("mcp-audit detect: cannot read " + input + ": " + e.getMessage());
      return 2;
    }
    LoadResult loaded = new RuleLoader().load(rules != null ? rules : RepoPaths.rulePack());
    for (RuleProblem problem : loaded.problems()) {
      err.println("rule problem (rule skipped): " + problem);
    }
    EngineRuleStage stage = new EngineRuleStage(loaded.ruleSet());
    List<InventoryEntry> servers = inventory == null ? List.of() : InventoryFile.read(inventory);
    OfflineDetection detection = new OfflineDetection(stage,
        DetectorCatalog.defaults().with(EngineRuleStage.detectorSpecs(loaded.ruleSet())), ToolRisk.defaults(),
        ruleId -> stage.dedupWindow(ruleId).orElse(Duration.ofMinutes(10)));
    OfflineDetection.Result result = detection.run(capture.events(), servers);
    if (format == Format.json) {
      for (Alert alert : result.alerts()) {
        out.println(JSON.writeValueAsString(flat(alert)));
      }
    } else {
      printTable(out, result.alerts());
      err.printf("%d lines read, %d skipped, %d events, %d alerts, %d sessions%n", capture.lines(),
          capture.problems().size(), capture.events().size(), result.alerts().size(), result.traces().size());
    }
    out.flush();
    err.flush();
    return 0;
  }

  /** The contract's flat form: category, severity, session, rule_id, title, evidence, and the rest. */
  static ObjectNode flat(Alert alert) {
    ObjectNode node = JSON.createObjectNode();
    node.put("category", alert.getCategory());
    node.put("severity", alert.getSeverity().name().toLowerCase(Locale.ROOT));
    node.put("session", alert.getSessionId());
    node.put("rule_id", alert.getRuleId());
    node.put("title", alert.getTitle());
    node.putPOJO("evidence", alert.getEvidenceEventIds());
    node.put("alert_id", alert.getAlertId());
    node.put("description", alert.getDescription());
    node.put("excerpt", alert.getExcerpt());
    node.put("first_seen", alert.getFirstSeen().toString());
    node.put("last_seen", alert.getLastSeen().toString());
    node.put("count", alert.getCount());
    node.put("dedup_key", alert.getDedupKey());
    node.put("server", alert.getServerName());
    node.put("user", alert.getUser());
    node.put("client", alert.getClientAgent());
    if (!alert.getAttributes().isEmpty()) {
      node.putPOJO("attributes", Map.copyOf(alert.getAttributes()));
    }
    return node;
  }

  private static void printTable(PrintWriter out, List<Alert> alerts) {
    if (alerts.isEmpty()) {
      out.println("no alerts");
      return;
    }
    out.printf("%-24s %-9s %-20s %5s  %s%n", "CATEGORY", "SEVERITY", "SESSION", "COUNT", "TITLE");
    for (Alert alert : alerts) {
      out.printf("%-24s %-9s %-20s %5d  %s%n", alert.getCategory(), alert.getSeverity().name().toLowerCase(Locale.ROOT),
          cut(alert.getSessionId(), 20), alert.getCount(), alert.getTitle());
    }
  }

  private static String cut(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
