package io.mcpaudit.agent.emit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  @TempDir
  Path dir;

  private static byte[] record(int i) {
    return ("event-" + i + "-" + "x".repeat(90)).getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> texts(List<byte[]> records) {
    return records.stream().map(bytes -> new String(bytes, StandardCharsets.UTF_8).split("-x")[0]).toList();
  }

  @Test
  void replaysRecordsInOrderAcrossSegmentsAndRestarts() throws Exception {
    try (Spool spool = Spool.open(dir, 1 << 20, 1024)) {
      for (int i = 0; i < 50; i++) {
        assertThat(spool.append(record(i))).isTrue();
      }
      assertThat(spool.records()).isEqualTo(50);
      assertThat(texts(spool.peek(3))).containsExactly("event-0", "event-1", "event-2");
      spool.commit(20);
      assertThat(texts(spool.peek(1))).containsExactly("event-20");
    }
    try (Spool reopened = Spool.open(dir, 1 << 20, 1024)) {
      assertThat(reopened.records()).isEqualTo(30);
      assertThat(texts(reopened.peek(100)))
          .containsExactlyElementsOf(IntStream.range(20, 50).mapToObj(i -> "event-" + i).toList());
      reopened.append(record(50));
      reopened.commit(31);
      assertThat(reopened.isEmpty()).isTrue();
      assertThat(reopened.sizeBytes()).isZero();
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".seg"));
    }
  }

  @Test
  void refusesRecordsBeyondItsBound() throws Exception {
    try (Spool spool = Spool.open(dir, 1024, 1024)) {
      int accepted = 0;
      while (spool.append(record(accepted))) {
        accepted++;
      }
      assertThat(accepted).isEqualTo(1024 / (4 + record(0).length));
      assertThat(spool.sizeBytes()).isLessThanOrEqualTo(1024);
      spool.commit(1);
      assertThat(spool.append(record(99))).as("room again after replay").isTrue();
    }
  }

  @Test
  void oneSpoolFolderBelongsToOneProcess() throws Exception {
    try (Spool ignored = Spool.open(dir, 1 << 20, 1024)) {
      assertThatThrownBy(() -> Spool.open(dir, 1 << 20, 1024)).isInstanceOf(Spool.SpoolBusyException.class)
          .hasMessageContaining(dir.toString());
    }
  }

  @Test
  void aStartingAgentWaitsBrieflyForItsFolderWhileAnotherAgentReplaysIt() throws Exception {
    Spool replaying = Spool.open(dir, 1 << 20, 1024);
    assertThatThrownBy(() -> Spool.open(dir, 1 << 20, 1024, java.time.Duration.ofMillis(200)))
        .as("held longer than the wait").isInstanceOf(Spool.SpoolBusyException.class);
    Thread release = new Thread(() -> {
      try {
        Thread.sleep(300);
        replaying.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    release.start();
    try (Spool owner = Spool.open(dir, 1 << 20, 1024, java.time.Duration.ofSeconds(30))) {
      assertThat(owner.dir()).isEqualTo(dir);
    }
    release.join();
  }

  @Test
  void aRecordTornByACrashIsDroppedAndTheRestIsKept() throws Exception {
    try (Spool spool = Spool.open(dir, 1 << 20, 1 << 20)) {
      spool.append(record(0));
      spool.append(record(1));
    }
    Path segment;
    try (var files = Files.list(dir)) {
      segment = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(segment);
    Files.write(segment, java.util.Arrays.copyOf(bytes, bytes.length - 10));
    try (Spool spool = Spool.open(dir, 1 << 20, 1 << 20)) {
      assertThat(spool.records()).isEqualTo(1);
      assertThat(texts(spool.peek(10))).containsExactly("event-0");
    }
  }
}
