package io.mcpaudit.agent.emit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which spools of other agent ids an agent may replay: meant for its Kafka and topic, and not held by a live agent. */
class OrphanedSpoolsTest {
  private static final SpoolDestination HERE = new SpoolDestination("k2:9092, k1:9092", "mcp.audit.events.v1");

  @TempDir
  Path root;

  private final List<String> status = new CopyOnWriteArrayList<>();

  private Spool spool(String agentId, SpoolDestination destination, int records) throws Exception {
    Spool spool = Spool.open(root.resolve(agentId), 1 << 20, 1 << 16);
    if (destination != null) {
      destination.writeTo(spool.dir());
    }
    for (int i = 0; i < records; i++) {
      spool.append(("event " + i).getBytes(StandardCharsets.UTF_8));
    }
    spool.flush();
    return spool;
  }

  private OrphanedSpools orphansSeenBy(Path own) {
    return new OrphanedSpools(root, own, HERE, 1 << 20, 1 << 16, status::add);
  }

  @Test
  void onlySpoolsOfOtherAgentIdsMeantForTheSameKafkaAndTopicAreCandidates() throws Exception {
    try (Spool own = spool("me", HERE, 3)) {
      spool("crashed", new SpoolDestination("k1:9092,k2:9092", "mcp.audit.events.v1"), 2).close();
      spool("other-topic", new SpoolDestination("k1:9092,k2:9092", "it.events"), 2).close();
      spool("other-kafka", new SpoolDestination("staging:9092", "mcp.audit.events.v1"), 2).close();
      spool("before-destinations-were-kept", null, 2).close();
      spool("replayed-already", HERE, 0).close();

      assertThat(orphansSeenBy(own.dir()).candidates()).containsExactly(root.resolve("crashed"));
    }
  }

  @Test
  void aSpoolWhoseAgentStillRunsIsNotClaimedUntilItStops() throws Exception {
    try (Spool own = spool("me", HERE, 0)) {
      OrphanedSpools orphans = orphansSeenBy(own.dir());
      Spool running = spool("running", HERE, 2);

      assertThat(orphans.candidates()).containsExactly(root.resolve("running"));
      assertThat(orphans.claim(root.resolve("running"))).as("its agent holds the lock").isEmpty();

      running.close();
      Optional<Spool> claimed = orphans.claim(root.resolve("running"));
      assertThat(claimed).isPresent();
      try (Spool spool = claimed.get()) {
        assertThat(spool.records()).isEqualTo(2);
      }
      assertThat(status).isEmpty();
    }
  }
}
