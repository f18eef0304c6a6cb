package io.mcpaudit.streams.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.AuditGapReported;
import io.mcpaudit.event.ToolCallRequested;
import io.mcpaudit.streams.Replay;
import io.mcpaudit.streams.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditAndRateDetectorsTest {
  @Test
  void eventsMissingFromAnAgentsSequenceAreAGap() {
    Scenario s = new Scenario("a1");
    s.started();
    s.call("read_file", "{}");
    s.afterLosing(3);
    s.call("read_file", "{}");

    assertThat(Replay.alerts(s.events(), "audit-gap")).singleElement().satisfies(alert -> {
      assertThat(alert.getTitle()).isEqualTo("3 audit events missing before #6");
      assertThat(alert.getAttributes()).containsEntry("first_missing", "3").containsEntry("missing", "3");
    });
  }

  @Test
  void eventsArrivingSlightlyOutOfOrderAreNoGap() {
    Scenario s = new Scenario("a1");
    for (int i = 0; i < 6; i++) {
      s.call("read_file", "{\"n\":" + i + "}");
    }
    List<AuditEvent> shuffled = new ArrayList<>(s.events());
    shuffled.add(1, shuffled.remove(3));
    shuffled.add(4, shuffled.remove(5));

    assertThat(Replay.alerts(shuffled, "audit-gap")).isEmpty();
  }

  @Test
  void anAgentsLaterEventSeenFirstIsNeitherADuplicateNorAGap() {
    // One agent, two sessions on different partitions: the repartition by agent may deliver the
    // second session's events (#3, #4) before the first session's (#1, #2).
    Scenario s = new Scenario("a1");
    s.call("read_file", "{}");
    s.call("read_file", "{}");
    s.session("other-session");
    s.call("read_file", "{}");
    s.call("read_file", "{}");
    List<AuditEvent> events = new ArrayList<>(s.events());
    List<AuditEvent> interleaved = new ArrayList<>(events.subList(2, 4));
    interleaved.addAll(events.subList(0, 2));

    assertThat(Replay.alerts(interleaved, "audit-gap")).isEmpty();
  }

  @Test
  void aPipelineStartedAfterTheAgentStartsTheChainAtTheLowestNumberSeen() {
    Scenario s = new Scenario("a1");
    for (int i = 0; i < 6; i++) {
      s.call("read_file", "{\"n\":" + i + "}");
    }
    List<AuditEvent> fromTheMiddle = new ArrayList<>(s.events().subList(3, 6));
    fromTheMiddle.add(0, fromTheMiddle.remove(2));

    assertThat(Replay.alerts(fromTheMiddle, "audit-gap")).isEmpty();
  }

  @Test
  void aDuplicatedEventIsReported() {
    Scenario s = new Scenario("a1");
    s.call("read_file", "{}");
    AuditEvent second = s.started();
    List<AuditEvent> events = new ArrayList<>(s.events());
    events.add(second);

    assertThat(Replay.alerts(events, "audit-gap")).singleElement()
        .satisfies(alert -> assertThat(alert.getTitle()).isEqualTo("Duplicate audit event #2 from agent a1"));
  }

  @Test
  void anEditedEventBreaksTheChain() {
    Scenario s = new Scenario("a1");
    s.call("read_file", "{}");
    s.call("write_file", "{\"path\":\"/etc/cron.d/x\"}");
    s.call("read_file", "{}");
    List<AuditEvent> events = new ArrayList<>(s.events());
    // Someone rewrites the recorded write into a harmless read, keeping the stored hashes.
    ToolCallRequested original = (ToolCallRequested) events.get(1).getPayload();
    events.set(1, AuditEvent.newBuilder(events.get(1))
        .setPayload(ToolCallRequested.newBuilder(original).setToolName("read_file").build()).build());

    assertThat(Replay.alerts(events, "audit-gap")).extracting(a -> a.getTitle())
        .contains("Altered audit event #2");
  }

  @Test
  void theAgentsOwnLossReportIsAnAuditGap() {
    Scenario s = new Scenario("a1");
    s.emit(AuditGapReported.newBuilder().setLostEvents(1200).setFirstLostSequence(40L)
        .setReason("spool full (512 MiB)").build());

    assertThat(Replay.alerts(s.events(), "audit-gap")).singleElement()
        .satisfies(alert -> assertThat(alert.getTitle()).isEqualTo("Agent a1 lost 1200 audit events"));
  }

  @Test
  void aBurstFarAboveTheIdentitysBaselineIsARateAnomaly() {
    Scenario s = new Scenario("a1");
    for (int minute = 0; minute < 90; minute++) {
      s.call("read_file", "{}");
      s.after(Duration.ofMinutes(1));
    }
    for (int i = 0; i < 60; i++) {
      s.call("read_file", "{\"i\":" + i + "}");
    }

    assertThat(Replay.alerts(s.events(), "rate-anomaly")).singleElement()
        .satisfies(alert -> assertThat(alert.getTitle()).startsWith("alice made 31 tool calls in one minute"));
  }

  @Test
  void aFirstUseOfAToolAfterTheLearningPeriodIsANewTerm() {
    Scenario s = new Scenario("a1");
    for (int i = 0; i < 10; i++) {
      s.call("read_file", "{}");
      s.after(Duration.ofMinutes(10));
    }
    s.call("export_all_contacts", "{}");

    assertThat(Replay.alerts(s.events(), "rate-anomaly")).singleElement()
        .satisfies(alert -> assertThat(alert.getTitle()).isEqualTo("alice used files/export_all_contacts for the first time"));
  }

  @Test
  void steadyUseAndNewToolsWhileLearningAreQuiet() {
    Scenario s = new Scenario("a1");
    s.call("read_file", "{}");
    s.call("list_directory", "{}");
    s.call("search_files", "{}");
    for (int minute = 0; minute < 120; minute++) {
      s.call("read_file", "{}");
      s.call("read_file", "{}");
      s.after(Duration.ofMinutes(1));
    }

    assertThat(Replay.alerts(s.events(), "rate-anomaly")).isEmpty();
  }
}
