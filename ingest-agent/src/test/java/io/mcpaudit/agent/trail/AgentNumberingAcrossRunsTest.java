package io.mcpaudit.agent.trail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpaudit.agent.emit.EventSink;
import io.mcpaudit.agent.events.AuditEventFactory;
import io.mcpaudit.agent.events.Observation;
import io.mcpaudit.agent.events.SessionContext;
import io.mcpaudit.agent.mcp.JsonRpcParser;
import io.mcpaudit.agent.secrets.CredentialRedactor;
import io.mcpaudit.agent.secrets.TextRedaction;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.Transport;
import io.mcpaudit.schema.chain.EventHashChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent restarted with the same id goes on numbering where it stopped: after a clean stop its
 * chain continues unbroken; after a crash it starts past every number the crashed run reserved.
 */
class AgentNumberingAcrossRunsTest {
  @TempDir
  Path spool;

  private final List<String> status = new CopyOnWriteArrayList<>();

  /** One run of the agent's event thread: {@code sessions} sessions that end, then a clean stop. */
  private List<AuditEvent> run(int sessions) throws InterruptedException {
    List<AuditEvent> events = new CopyOnWriteArrayList<>();
    EventSink sink = events::add;
    AuditTrail trail = new AuditTrail(new JsonRpcParser(),
        new AuditEventFactory("agent-1", new TextRedaction(new CredentialRedactor(), 64 * 1024)), null, sink,
        1000, 1 << 20, status::add, Clock.systemUTC(), new FileSequenceLedger(spool, status::add)).start();
    for (int i = 0; i < sessions; i++) {
      SessionContext session = new SessionContext("s" + i, Transport.STDIO, "files", null, List.of("files"), null,
          "alice");
      assertThat(trail.observe(new Observation.SessionEnd(session, Instant.now(), "done", 0))).isTrue();
    }
    trail.close();
    return events;
  }

  @Test
  void aCleanlyStoppedAgentContinuesItsChainOnTheNextRun() throws Exception {
    List<AuditEvent> first = run(3);
    List<AuditEvent> second = run(2);

    assertThat(first).isNotEmpty();
    List<AuditEvent> all = new ArrayList<>(first);
    all.addAll(second);
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).getSequence()).as("event %d", i).isEqualTo(i + 1L);
      String previous = i == 0 ? EventHashChain.GENESIS : all.get(i - 1).getHash();
      assertThat(all.get(i).getPreviousHash()).as("event %d links to the one before", i).isEqualTo(previous);
    }
    assertThat(status).isEmpty();
  }

  @Test
  void afterACrashTheNextRunStartsPastEveryNumberTheCrashedRunCouldHaveUsed() throws Exception {
    List<AuditEvent> first = run(2);
    // A run that crashes: it numbered events (reserving a block) and never stopped.
    FileSequenceLedger crashed = new FileSequenceLedger(spool, status::add);
    ChainPosition resumed = crashed.resume();
    crashed.numbered(resumed.lastSequence() + 1);
    crashed.numbered(resumed.lastSequence() + 2);

    List<AuditEvent> next = run(1);

    long lastOfFirst = first.get(first.size() - 1).getSequence();
    assertThat(next.get(0).getSequence()).isEqualTo(lastOfFirst + FileSequenceLedger.RESERVE + 1);
    assertThat(status).singleElement().asString().contains("did not stop cleanly")
        .contains("after " + (lastOfFirst + FileSequenceLedger.RESERVE));
  }

  @Test
  void aRunPastItsReservationReservesTheNextBlockBeforeUsingIt() {
    FileSequenceLedger ledger = new FileSequenceLedger(spool, status::add);
    ledger.resume();
    for (long n = 1; n <= FileSequenceLedger.RESERVE + 5; n++) {
      ledger.numbered(n);
    }

    assertThat(new FileSequenceLedger(spool, status::add).resume().lastSequence())
        .isEqualTo(2 * FileSequenceLedger.RESERVE);
  }

  @Test
  void anUnreadableFileStopsTheAgentWithWhatToDo() throws Exception {
    Files.writeString(spool.resolve(FileSequenceLedger.FILE), "state=stopped\nlast.sequence=12\nlast.hash=nope\n");

    assertThatThrownBy(() -> new FileSequenceLedger(spool, status::add).resume())
        .hasMessageContaining("cannot read this agent's numbering from " + spool.resolve(FileSequenceLedger.FILE))
        .hasMessageContaining("delete the file to number from 1 again");
  }
}
