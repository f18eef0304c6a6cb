package io.mcpaudit.streams.correlate;

import static io.mcpaudit.streams.Scenario.destructiveTool;
import static io.mcpaudit.streams.Scenario.tool;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.Decision;
import io.mcpaudit.event.SessionTrace;
import io.mcpaudit.event.StepKind;
import io.mcpaudit.event.TokenClaims;
import io.mcpaudit.event.TraceStep;
import io.mcpaudit.streams.Replay;
import io.mcpaudit.streams.Scenario;
import io.mcpaudit.streams.offline.OfflineDetection;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionTraceTest {
  @Test
  void aSessionsTraceTellsItsStoryInOrder() {
    Scenario s = new Scenario("a1").address("10.1.2.3").serverUrl("https://files.example.com/mcp");
    s.started();
    s.token("tok", "https://files.example.com/mcp",
        TokenClaims.newBuilder().setSub("alice@example.com").setAud(List.of("https://files.example.com/mcp")).build());
    s.scopes(List.of("files:read", "files:write"));
    s.tools(tool("read_file", "Read a file."), destructiveTool("delete_file", "Delete a file."));
    s.result(s.call("read_file", "{\"path\":\"/a.md\"}"), "read_file", "# Title");
    s.approval("3", "delete_file", "{\"path\":\"/a.md\"}", Decision.APPROVED, "alice", 5200);
    s.result(s.call("delete_file", "{\"path\":\"/a.md\"}"), "delete_file", "deleted");
    s.ended("http delete");

    SessionTrace trace = Replay.run(s.events()).traces().get("s1");

    assertThat(trace.getEnded()).isTrue();
    assertThat(trace.getProtocolVersion()).isEqualTo("2025-11-25");
    assertThat(trace.getClient().getAddress()).isEqualTo("10.1.2.3");
    assertThat(trace.getTokenSubjects()).containsExactly("alice@example.com");
    assertThat(trace.getScopes()).containsExactly("files:read", "files:write");
    assertThat(trace.getSteps()).extracting(TraceStep::getKind).containsExactly(StepKind.SESSION_START,
        StepKind.TOKEN, StepKind.SCOPE, StepKind.TOOLS_LISTED, StepKind.TOOL_CALL, StepKind.APPROVAL,
        StepKind.TOOL_CALL, StepKind.SESSION_END);
    assertThat(trace.getSteps()).extracting(TraceStep::getIndex).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    TraceStep read = trace.getSteps().get(4);
    assertThat(read.getTool()).isEqualTo("read_file");
    assertThat(read.getArgumentsExcerpt()).isEqualTo("{\"path\":\"/a.md\"}");
    assertThat(read.getResultExcerpt()).isEqualTo("# Title");
    assertThat(read.getDurationMs()).isEqualTo(12L);
    TraceStep delete = trace.getSteps().get(6);
    assertThat(delete.getApproval()).isNotNull();
    assertThat(delete.getApproval().getApprover()).isEqualTo("alice");
    assertThat(delete.getApproval().getArgumentsMatch()).isTrue();
    assertThat(delete.getApproval().getDecidedInMs()).isEqualTo(5200L);
  }

  @Test
  void alertsAreShownAtTheStepThatRaisedThem() {
    Scenario s = new Scenario("a1").address("10.1.2.3");
    s.started();
    s.result(s.call("read_file", "{}"), "read_file", "ok");
    s.address("198.51.100.7");
    s.call("read_file", "{\"path\":\"/etc/shadow\"}");

    OfflineDetection.Result result = Replay.run(s.events());
    Alert hijack = result.alerts().stream().filter(a -> a.getCategory().equals("session-hijack")).findFirst().orElseThrow();
    SessionTrace trace = result.traces().get("s1");

    assertThat(trace.getAlertIds()).contains(hijack.getAlertId());
    assertThat(trace.getSteps().get(trace.getSteps().size() - 1).getAlertIds()).containsExactly(hijack.getAlertId());
    assertThat(trace.getSteps().get(0).getAlertIds()).isEmpty();
  }

  @Test
  void aLongSessionKeepsItsNewestStepsAndCountsTheRest() {
    Scenario s = new Scenario("a1");
    for (int i = 0; i < 1010; i++) {
      s.call("read_file", "{\"n\":" + i + "}");
    }

    SessionTrace trace = Replay.run(s.events()).traces().get("s1");

    assertThat(trace.getSteps()).hasSize(1000);
    assertThat(trace.getDroppedSteps()).isEqualTo(10);
    assertThat(trace.getSteps().get(0).getArgumentsExcerpt()).isEqualTo("{\"n\":10}");
  }
}
