package io.mcpaudit.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackStateTest {

  @TempDir
  Path runDir;

  @Test
  void roundTripsThroughTheRunFolder() throws Exception {
    StackState state = new StackState(Instant.parse("2026-01-02T03:04:05.123Z"), List.of(
        new StackState.Server("kafka", 4242, 41234, 41235, runDir.resolve("logs/kafka.log"),
            Instant.parse("2026-01-02T03:04:06Z")),
        new StackState.Server("opensearch", 4243, 9201, 9301, runDir.resolve("logs/open search.log"),
            Instant.parse("2026-01-02T03:04:07Z"))));

    state.write(runDir);

    assertThat(StackState.read(runDir)).contains(state);
    assertThat(runDir.resolve(StackState.FILE + ".tmp")).doesNotExist();
  }

  @Test
  void noFileMeansNoStack() throws Exception {
    assertThat(StackState.read(runDir)).isEmpty();
  }

  @Test
  void aDamagedFileIsReportedWithItsPath() throws Exception {
    Files.writeString(runDir.resolve(StackState.FILE), "servers=kafka\nkafka.pid=12\n");

    assertThatThrownBy(() -> StackState.read(runDir))
        .isInstanceOf(StackException.class)
        .hasMessageContaining(runDir.resolve(StackState.FILE).toString())
        .hasMessageContaining("missing kafka.port");
  }

  @Test
  void aFolderWithoutStateHasNothingToAttachReportOrStop() throws Exception {
    assertThat(LocalStack.attach(runDir)).isEmpty();
    assertThat(LocalStack.statusAt(runDir)).isEmpty();
    assertThat(LocalStack.stopAt(runDir)).isFalse();
  }

  @Test
  void aStackWhoseProcessesAreGoneIsReportedDeadAndCleanedUp() throws Exception {
    long finishedPid = new ProcessBuilder("true").start().onExit().get().pid();
    new StackState(Instant.now(), List.of(
        new StackState.Server("kafka", finishedPid, 1, 2, runDir.resolve("kafka.log"), Instant.now())))
        .write(runDir);

    assertThat(LocalStack.attach(runDir)).isEmpty();
    assertThat(LocalStack.statusAt(runDir)).singleElement()
        .satisfies(s -> assertThat(s.alive()).isFalse())
        .satisfies(s -> assertThat(s.ready()).isFalse());
    assertThat(LocalStack.stopAt(runDir)).isTrue();
    assertThat(runDir.resolve(StackState.FILE)).doesNotExist();
  }

  @Test
  void aRecycledPidIsNotMistakenForTheServer() throws Exception {
    // This test JVM is alive but does not carry the server's marker, like a pid reused by another program.
    long unrelated = ProcessHandle.current().pid();
    new StackState(Instant.now(), List.of(
        new StackState.Server("kafka", unrelated, 1, 2, runDir.resolve("kafka.log"), Instant.now())))
        .write(runDir);

    assertThat(LocalStack.statusAt(runDir)).singleElement().satisfies(s -> assertThat(s.alive()).isFalse());
    assertThat(LocalStack.stopAt(runDir)).isTrue();
    assertThat(ProcessHandle.current().isAlive()).isTrue();
  }
}
