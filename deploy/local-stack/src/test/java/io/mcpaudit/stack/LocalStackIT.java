package io.mcpaudit.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's life cycle as `mcp-audit up`, `status` and `down` use it, against the real servers. */
class LocalStackIT {

  @TempDir
  Path runDir;

  @AfterEach
  void stopWhateverIsLeft() throws Exception {
    LocalStack.stopAt(runDir);
  }

  @Test
  void startsAttachesReportsADeadServerAndStops() throws Exception {
    List<String> progress = new ArrayList<>();
    LocalStack started = LocalStack.start(LocalStackConfig.at(runDir), progress::add);

    assertThat(progress).anySatisfy(line -> assertThat(line).startsWith("kafka ready on 127.0.0.1:"));
    assertThat(started.status()).hasSize(3).allSatisfy(s -> {
      assertThat(s.alive()).as(s.name()).isTrue();
      assertThat(s.ready()).as(s.name()).isTrue();
      assertThat(s.residentBytes()).as(s.name()).isPositive();
      assertThat(s.log()).exists();
    });

    Optional<LocalStack> attached = LocalStack.attach(runDir);
    assertThat(attached).map(LocalStack::endpoints).contains(started.endpoints());

    long kafkaPid = started.status().stream().filter(s -> s.name().equals("kafka")).findFirst().orElseThrow().pid();
    ProcessHandle kafka = ProcessHandle.of(kafkaPid).orElseThrow();
    kafka.destroyForcibly();
    kafka.onExit().get();

    assertThat(LocalStack.attach(runDir)).as("a stack with a dead server is not running").isEmpty();
    assertThat(LocalStack.statusAt(runDir)).filteredOn(s -> s.name().equals("kafka"))
        .singleElement().satisfies(s -> assertThat(s.alive()).isFalse());

    List<Long> pids = started.status().stream().map(ComponentStatus::pid).toList();
    assertThat(LocalStack.stopAt(runDir)).isTrue();
    assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
    assertThat(Files.exists(runDir.resolve(StackState.FILE))).isFalse();
    assertThat(LocalStack.statusAt(runDir)).isEmpty();
  }
}
