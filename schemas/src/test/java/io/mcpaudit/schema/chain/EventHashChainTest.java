package io.mcpaudit.schema.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.schema.SampleEvents;
import org.junit.jupiter.api.Test;

class EventHashChainTest {
  @Test
  void numbersEventsAndLinksEachToThePreviousHash() {
    EventHashChain chain = new EventHashChain();
    AuditEvent first = chain.link(SampleEvents.toolCall("s1", "read_file", "{}"));
    AuditEvent second = chain.link(SampleEvents.toolCall("s1", "write_file", "{}"));

    assertThat(first.getSequence()).isEqualTo(1);
    assertThat(first.getPreviousHash()).isEqualTo(EventHashChain.GENESIS);
    assertThat(second.getSequence()).isEqualTo(2);
    assertThat(second.getPreviousHash()).isEqualTo(first.getHash());
    assertThat(first.getHash()).hasSize(64).isNotEqualTo(second.getHash());
    assertThat(EventHashChain.isIntact(first)).isTrue();
    assertThat(EventHashChain.isIntact(second)).isTrue();
  }

  @Test
  void anAlteredEventNoLongerMatchesItsHash() {
    AuditEvent linked = new EventHashChain().link(SampleEvents.toolCall("s1", "read_file", "{}"));
    AuditEvent altered = AuditEvent.newBuilder(linked).setSessionId("s2").build();

    assertThat(EventHashChain.isIntact(altered)).isFalse();
  }

  @Test
  void aResumedChainContinuesWhereItStopped() {
    EventHashChain original = new EventHashChain();
    original.link(SampleEvents.toolCall("s1", "a", "{}"));
    AuditEvent second = original.link(SampleEvents.toolCall("s1", "b", "{}"));

    EventHashChain resumed = new EventHashChain(second.getSequence(), second.getHash());
    AuditEvent third = resumed.link(SampleEvents.toolCall("s1", "c", "{}"));

    assertThat(third.getSequence()).isEqualTo(3);
    assertThat(third.getPreviousHash()).isEqualTo(second.getHash());
  }

  @Test
  void theHashDoesNotDependOnTheStoredHashField() {
    AuditEvent linked = new EventHashChain().link(SampleEvents.toolCall("s1", "read_file", "{}"));
    AuditEvent withForgedHash = AuditEvent.newBuilder(linked).setHash("f".repeat(64)).build();

    assertThat(EventHashChain.hashOf(withForgedHash)).isEqualTo(linked.getHash());
  }
}
