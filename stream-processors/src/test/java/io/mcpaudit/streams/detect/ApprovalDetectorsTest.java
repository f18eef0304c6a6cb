package io.mcpaudit.streams.detect;

import static io.mcpaudit.streams.Scenario.destructiveTool;
import static io.mcpaudit.streams.Scenario.readOnlyTool;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.event.Decision;
import io.mcpaudit.streams.Replay;
import io.mcpaudit.streams.Scenario;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ApprovalDetectorsTest {
  private static final String ARGS = "{\"path\":\"/srv/docs/report.md\"}";

  @Test
  void aDestructiveCallThatRunsWithoutApprovalIsReported() {
    Scenario s = new Scenario("a1");
    s.tools(destructiveTool("purge_cache", "Purge caches."));
    String id = s.call("purge_cache", "{}");
    s.result(id, "purge_cache", "done");

    assertThat(Replay.alerts(s.events(), "missing-approval")).singleElement().satisfies(alert -> {
      assertThat(alert.getTitle()).isEqualTo("High-risk call 'purge_cache' ran without approval");
      assertThat(alert.getDescription()).contains("destructiveHint");
    });
  }

  @Test
  void aCallWithNoResultIsJudgedOnceTheWaitIsOver() {
    Scenario s = new Scenario("a1");
    s.call("delete_file", ARGS);

    assertThat(Replay.alerts(s.events(), "missing-approval")).hasSize(1);
  }

  @Test
  void anApprovedCallWithMatchingArgumentsIsQuiet() {
    Scenario s = new Scenario("a1");
    s.approval("1", "delete_file", ARGS, Decision.APPROVED, "alice", 4200);
    String id = s.call("delete_file", ARGS);
    s.result(id, "delete_file", "deleted");

    assertThat(Replay.run(s.events()).alerts()).isEmpty();
  }

  @Test
  void readOnlyAndAdditiveWorkNeedsNoApproval() {
    Scenario s = new Scenario("a1");
    s.tools(readOnlyTool("run_query", "Run a read-only SQL query."));
    s.result(s.call("read_file", ARGS), "read_file", "hello");
    s.result(s.call("list_directory", "{}"), "list_directory", "a.md");
    s.result(s.call("create_issue", "{}"), "create_issue", "#12");
    s.result(s.call("run_query", "{}"), "run_query", "3 rows");
    s.result(s.call("searchCode", "{}"), "searchCode", "found");

    assertThat(Replay.run(s.events()).alerts()).isEmpty();
  }

  @Test
  void anApprovalForOtherArgumentsIsAMismatch() {
    Scenario s = new Scenario("a1");
    s.approval("1", "delete_file", ARGS, Decision.APPROVED, "alice", 3000);
    s.result(s.call("delete_file", "{\"path\":\"/srv/docs\",\"recursive\":true}"), "delete_file", "deleted");

    assertThat(Replay.alerts(s.events(), "approval-mismatch")).singleElement()
        .satisfies(alert -> assertThat(alert.getDescription()).contains("approved arguments differ"));
    assertThat(Replay.alerts(s.events(), "missing-approval")).isEmpty();
  }

  @Test
  void anApprovalThatComesAfterTheCallIsAMismatch() {
    Scenario s = new Scenario("a1");
    String id = s.call("send_email", "{\"to\":\"x@example.com\"}");
    s.after(Duration.ofSeconds(5));
    s.approval(id, "send_email", "{\"to\":\"x@example.com\"}", Decision.APPROVED, "alice", 800);

    assertThat(Replay.alerts(s.events(), "approval-mismatch")).singleElement()
        .satisfies(alert -> assertThat(alert.getTitle()).contains("came after the call"));
  }

  @Test
  void anApprovalReportedAMomentAfterTheCallIsAcceptedOutOfOrder() {
    Scenario s = new Scenario("a1");
    String id = s.call("write_file", ARGS);
    s.approval(id, "write_file", ARGS, Decision.APPROVED, "alice", 2500);
    s.result(id, "write_file", "ok");

    assertThat(Replay.run(s.events()).alerts()).isEmpty();
  }

  @Test
  void manyInstantApprovalsAreFatigue() {
    Scenario s = new Scenario("a1");
    for (int i = 0; i < 12; i++) {
      s.approval("r" + i, "write_file", ARGS, Decision.APPROVED, "bob", 350);
      s.after(Duration.ofSeconds(10));
    }

    assertThat(Replay.alerts(s.events(), "approval-fatigue")).singleElement().satisfies(alert -> {
      assertThat(alert.getAttributes()).containsEntry("approver", "bob");
      assertThat(alert.getCount()).isEqualTo(3);
    });
  }

  @Test
  void carefulApprovalsAreNotFatigue() {
    Scenario s = new Scenario("a1");
    for (int i = 0; i < 12; i++) {
      s.approval("r" + i, "write_file", ARGS, Decision.APPROVED, "bob", 9000);
      s.after(Duration.ofSeconds(10));
    }

    assertThat(Replay.alerts(s.events(), "approval-fatigue")).isEmpty();
  }
}
