package io.mcpaudit.streams.investigate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpaudit.event.Decision;
import io.mcpaudit.schema.ecs.AlertDocuments;
import io.mcpaudit.schema.ecs.TraceDocuments;
import io.mcpaudit.streams.Replay;
import io.mcpaudit.streams.Scenario;
import io.mcpaudit.streams.offline.OfflineDetection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The trace a responder reads, rendered from the same documents the indexer writes. */
class SessionStoryRendererTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static SessionStory story() {
    Scenario s = new Scenario("a1").address("10.0.0.5").serverUrl("https://files.example.com/mcp");
    s.started();
    s.result(s.call("read_file", "{\"path\":\"/a.md\"}"), "read_file", "# Title\nbody");
    s.approval("2", "delete_file", "{\"path\":\"/b.md\"}", Decision.APPROVED, "alice", 800);
    s.result(s.call("delete_file", "{\"path\":\"/a.md\"}"), "delete_file", "deleted");
    s.address("203.0.113.9");
    s.call("read_file", "{\"path\":\"/etc/shadow\"}");
    OfflineDetection.Result result = Replay.run(s.events());
    JsonNode trace = JSON.valueToTree(TraceDocuments.toDocument(result.traces().get("s1")));
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    List<JsonNode> alerts = result.alerts().stream().map(a -> (JsonNode) JSON.valueToTree(AlertDocuments.toDocument(a)))
        .toList();
    for (int i = 0; i < alerts.size(); i++) {
      byId.put(result.alerts().get(i).getAlertId(), alerts.get(i));
    }
    return new SessionStory("s1", trace, byId, alerts, s.events().size());
  }

  @Test
  void theTextTellsWhoDidWhatInOrderWithAlertsAtTheirStep() {
    SessionStory story = story();

    String text = SessionStoryRenderer.text(story);

    assertThat(text).startsWith("Session s1  (streamable-http, protocol 2025-11-25)");
    assertThat(text).contains("Who:     user alice · client claude-code · address 10.0.0.5");
    assertThat(text).contains("Server:  files at https://files.example.com/mcp");
    assertThat(text).containsSubsequence("start", "tools/call        read_file {\"path\":\"/a.md\"} → # Title body (12 ms)",
        "approval", "tools/call        delete_file", "approval: approved by alice in 800 ms — APPROVED OTHER ARGUMENTS",
        "tools/call        read_file {\"path\":\"/etc/shadow\"}", "!! session-hijack (critical)");
    assertThat(text).contains("!! approval-mismatch (high)");
  }

  @Test
  void htmlIsEscapedAndJsonCarriesEverything() throws Exception {
    SessionStory story = story();

    assertThat(SessionStoryRenderer.html(story)).contains("<title>Session s1</title>")
        .contains("&quot;path&quot;").doesNotContain("{\"path\"");
    JsonNode json = JSON.readTree(SessionStoryRenderer.json(story));
    assertThat(json.path("session").asText()).isEqualTo("s1");
    assertThat(json.path("alerts").size()).isEqualTo(story.alerts().size());
    assertThat(json.path("trace").path("mcp").path("trace").path("steps").size()).isGreaterThan(4);
  }

  @Test
  void aSessionWithoutATraceStillShowsItsAlerts() {
    SessionStory full = story();
    SessionStory withoutTrace = new SessionStory("s1", null, full.alertsById(), full.alerts(), 3);

    assertThat(SessionStoryRenderer.text(withoutTrace))
        .contains("No trace indexed for this session yet (its events are indexed")
        .contains("Alerts about the session as a whole:")
        .contains("session-hijack (critical)");
  }


  @Test
  void controlCharactersFromServersAreShownEscapedNotSentToTheTerminal() {
    Scenario s = new Scenario("a1").serverUrl("https://files.example.com/mcp");
    s.started();
    s.result(s.call("read_file", "{\"path\":\"/a.md\"}"), "read_file",
        "ok\u001b[2J\u001b]0;owned\u0007 \u202egnp.exe\u009b");
    OfflineDetection.Result result = Replay.run(s.events());
    JsonNode trace = JSON.valueToTree(TraceDocuments.toDocument(result.traces().get("s1")));

    String text = SessionStoryRenderer.text(new SessionStory("s1", trace, Map.of(), List.of(), s.events().size()));

    assertThat(text).doesNotContain("\u001b", "\u0007", "\u202e", "\u009b")
        .contains("ok\\u001B[2J\\u001B]0;owned\\u0007 \\u202Egnp.exe\\u009B");
    assertThat(TerminalText.oneLine("a\nb\tc")).isEqualTo("a\\u000Ab\\u0009c");
    assertThat(TerminalText.printable("plain text\nnext line")).isEqualTo("plain text\nnext line");
  }
}
