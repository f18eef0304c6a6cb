package io.mcpaudit.streams.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.Severity;
import io.mcpaudit.streams.Replay;
import io.mcpaudit.streams.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionDetectorsTest {
  @Test
  void aSessionUsedFromAnotherAddressIsHijacked() {
    Scenario s = new Scenario("a1").address("10.0.0.5");
    s.started();
    s.call("read_file", "{\"path\":\"/a\"}");
    s.address("203.0.113.9");
    s.call("read_file", "{\"path\":\"/b\"}");

    List<Alert> alerts = Replay.alerts(s.events(), "session-hijack");

    assertThat(alerts).singleElement().satisfies(alert -> {
      assertThat(alert.getSeverity()).isEqualTo(Severity.CRITICAL);
      assertThat(alert.getSessionId()).isEqualTo("s1");
      assertThat(alert.getTitle()).contains("client address");
      assertThat(alert.getExcerpt()).isEqualTo("client address: 10.0.0.5 -> 203.0.113.9");
      assertThat(alert.getEvidenceEventIds()).containsExactly("a1-1", "a1-3");
    });
  }

  @Test
  void repeatedUseByTheHijackerUpdatesOneAlert() {
    Scenario s = new Scenario("a1").address("10.0.0.5");
    s.started();
    s.address("203.0.113.9");
    s.call("read_file", "{}");
    s.call("list_directory", "{}");
    s.call("read_file", "{\"path\":\"/etc/passwd\"}");

    List<Alert> alerts = Replay.alerts(s.events(), "session-hijack");

    assertThat(alerts).singleElement().satisfies(alert -> assertThat(alert.getCount()).isEqualTo(3));
  }

  @Test
  void theSameClientThroughoutIsNoHijack() {
    Scenario s = new Scenario("a1").address("10.0.0.5");
    s.started();
    s.call("read_file", "{}");
    s.session("s2").address("10.0.0.6").started();

    assertThat(Replay.alerts(s.events(), "session-hijack")).isEmpty();
  }

  @Test
  void aRequestResentWithTheSameIdAndBytesIsAReplay() {
    Scenario s = new Scenario("a1");
    s.started();
    s.request("tools/call", "7", "{\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"send\"}}");
    s.request("tools/call", "7", "{\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"send\"}}");

    assertThat(Replay.alerts(s.events(), "session-replay")).singleElement()
        .satisfies(alert -> assertThat(alert.getTitle()).contains("Replayed request tools/call (id 7)"));
  }

  @Test
  void distinctRequestsAreNotReplays() {
    Scenario s = new Scenario("a1");
    s.request("tools/call", "7", "{\"id\":7,\"params\":{\"name\":\"a\"}}");
    s.request("tools/call", "8", "{\"id\":8,\"params\":{\"name\":\"a\"}}");
    s.request("ping", "9", "{\"id\":9}");

    assertThat(Replay.alerts(s.events(), "session-replay")).isEmpty();
  }

  @Test
  void trafficOnAnEndedSessionIsAReplay() {
    Scenario s = new Scenario("a1");
    s.started();
    s.ended("http delete");
    s.request("tools/list", "3", "{\"id\":3}");

    assertThat(Replay.alerts(s.events(), "session-replay")).singleElement()
        .satisfies(alert -> assertThat(alert.getTitle()).contains("used after it ended"));
  }
}
