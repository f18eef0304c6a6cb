package io.mcpaudit.router.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.Severity;
import io.mcpaudit.router.TestAlerts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The flat JSON alert form: what a line may say, what is filled in, and what is refused. */
class AlertJsonTest {
  private static final Instant NOW = Instant.parse("2026-03-02T08:00:00Z");

  @Test
  void theDetectOutputKeysAreEnough() {
    Alert a = AlertJson.parse("""
        {"category":"ssrf","severity":"high","session":"s-1","rule_id":"mcp-ssrf-metadata",
         "title":"Tool argument points at cloud metadata","evidence":["e-9"]}
        """, NOW);

    assertThat(a.getCategory()).isEqualTo("ssrf");
    assertThat(a.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(a.getSessionId()).isEqualTo("s-1");
    assertThat(a.getEvidenceEventIds()).containsExactly("e-9");
    assertThat(a.getDedupKey()).isEqualTo("mcp-ssrf-metadata|s-1");
    assertThat(a.getFirstSeen()).isEqualTo(NOW);
    assertThat(a.getLastSeen()).isEqualTo(NOW);
    assertThat(a.getCount()).isEqualTo(1);
    assertThat(a.getAlertId()).isEqualTo(AlertJson.derivedId("mcp-ssrf-metadata|s-1", NOW)).hasSize(32);
  }

  @Test
  void everyFieldRoundTrips() {
    Alert original = TestAlerts.builder("token-reuse", Severity.CRITICAL, "k|1").build();

    Alert back = AlertJson.parse(AlertJson.toJson(original).toString(), NOW);

    assertThat(back).isEqualTo(original);
  }

  @Test
  void timesMayBeEpochMillisAndUnknownKeysAreIgnored() {
    Alert a = AlertJson.parse("""
        {"category":"ssrf","severity":"LOW","session":"s","rule_id":"r","title":"t",
         "last_seen":1772352000000,"count":3,"attributes":{"n":5,"s":"x"},"future_key":true}
        """, NOW);
    assertThat(a.getLastSeen()).isEqualTo(Instant.ofEpochMilli(1772352000000L));
    assertThat(a.getFirstSeen()).isEqualTo(a.getLastSeen());
    assertThat(a.getCount()).isEqualTo(3);
    assertThat(a.getAttributes()).isEqualTo(Map.of("n", "5", "s", "x"));
  }

  @Test
  void problemsNameTheKey() {
    for (var c : List.of(
        List.of("{\"severity\":\"high\",\"session\":\"s\",\"rule_id\":\"r\",\"title\":\"t\"}", "'category' is missing"),
        List.of("{\"category\":\"c\",\"severity\":\"urgent\",\"session\":\"s\",\"rule_id\":\"r\",\"title\":\"t\"}",
            "severity 'urgent' is not low, medium, high or critical"),
        List.of("{\"category\":\"c\",\"severity\":\"low\",\"session\":\"s\",\"rule_id\":\"r\",\"title\":\"t\","
            + "\"last_seen\":\"yesterday\"}", "'last_seen' must be an ISO-8601 instant"),
        List.of("{\"category\":\"c\",\"severity\":\"low\",\"session\":\"s\",\"rule_id\":\"r\",\"title\":\"t\","
            + "\"count\":0}", "count must be a whole number of at least 1"),
        List.of("[1,2]", "not a JSON object"),
        List.of("{oops", "not JSON"))) {
      assertThatThrownBy(() -> AlertJson.parse(c.get(0), NOW)).as(c.get(0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(c.get(1));
    }
  }
}
