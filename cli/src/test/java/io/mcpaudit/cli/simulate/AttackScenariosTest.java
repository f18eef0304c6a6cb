package io.mcpaudit.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.agent.secrets.FingerprintKey;
import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.rules.LoadResult;
import io.mcpaudit.rules.RuleLoader;
import io.mcpaudit.streams.detect.chain.ToolRisk;
import io.mcpaudit.streams.inventory.InventoryFile;
import io.mcpaudit.streams.offline.OfflineDetection;
import io.mcpaudit.streams.rules.EngineRuleStage;
import io.mcpaudit.streams.topology.DetectorCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The built-in scenarios through the real detection topology, as {@code simulate} sends them: two
 * runs of every scenario, the second fifteen minutes after the first (so repeats meet open alerts
 * and learned state), stream time left where the traffic leaves it (a live pipeline gets no
 * end-of-capture push). Every run of every scenario must raise everything it expects, and together
 * the scenarios must cover every category of the detections contract.
 */
class AttackScenariosTest {
  private static final Path ROOT = Path.of(System.getProperty("mcpaudit.repo.root", ".."));
  private static final Pattern CATEGORY_ROW = Pattern.compile("^\\| `([a-z-]+)` \\|", Pattern.MULTILINE);

  @Test
  void everyCategoryOfTheContractHasAScenario() throws Exception {
    Set<String> contract = new TreeSet<>();
    Matcher m = CATEGORY_ROW.matcher(Files.readString(ROOT.resolve("docs/contracts/detections.md")));
    while (m.find()) {
      contract.add(m.group(1));
    }
    assertThat(contract).hasSizeGreaterThanOrEqualTo(19);
    Set<String> covered = new TreeSet<>();
    ScenarioCatalog.builtIn().all().forEach(s -> covered.addAll(s.expect()));
    assertThat(covered).containsAll(contract);
  }

  @Test
  void everyScenarioIsDetectedEveryTimeItRuns() {
    LoadResult pack = new RuleLoader().load(ROOT.resolve("detection-rules/rules"));
    assertThat(pack.problems()).isEmpty();
    List<InventoryEntry> inventory = InventoryFile.read(ROOT.resolve("deploy/inventory/inventory.yml"));
    List<AttackScenario> scenarios = ScenarioCatalog.builtIn().all();
    Instant firstEnd = Instant.parse("2026-11-21T09:00:00Z");

    List<ScenarioOutcome> outcomes = new ArrayList<>();
    List<AuditEvent> traffic = new ArrayList<>();
    for (String run : List.of("run1", "run2")) {
      ScenarioRun scenarioRun = new ScenarioRun(run, FingerprintKey.fromBase64(
          "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
      Instant end = run.equals("run1") ? firstEnd : firstEnd.plus(Duration.ofMinutes(15));
      for (AttackScenario scenario : scenarios) {
        ScenarioRun.Prepared prepared = scenarioRun.prepare(scenario, end);
        outcomes.add(new ScenarioOutcome(prepared));
        traffic.addAll(prepared.events());
      }
    }
    traffic.sort(Comparator.comparing(AuditEvent::getEventTime));
    EngineRuleStage rules = new EngineRuleStage(pack.ruleSet());
    List<Alert> alerts = new OfflineDetection(rules,
        DetectorCatalog.defaults().with(EngineRuleStage.detectorSpecs(pack.ruleSet())), ToolRisk.defaults(),
        r -> rules.dedupWindow(r).orElse(Duration.ofMinutes(10))).run(traffic, inventory, false).alerts();

    List<String> failures = new ArrayList<>();
    for (ScenarioOutcome outcome : outcomes) {
      alerts.forEach(outcome::offer);
      if (!outcome.complete()) {
        failures.add(outcome.scenario().name() + " missed " + outcome.missed() + "; raised "
            + outcome.alerts().keySet());
      }
    }
    System.out.printf("attack scenarios: %d scenarios × 2 runs, %d events, %d alerts, %d failures%n",
        scenarios.size(), traffic.size(), alerts.size(), failures.size());
    assertThat(failures).as(String.join("\n", failures)).isEmpty();
  }
}
