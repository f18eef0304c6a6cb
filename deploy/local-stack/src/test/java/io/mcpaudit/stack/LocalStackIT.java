package io.mcpaudit.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

  @Test
  void aKilledRegistryComesBackWithTheSchemaIdsItHandedOut() throws Exception {
    LocalStack stack = LocalStack.start(LocalStackConfig.at(runDir), line -> {});
    String registry = stack.endpoints().schemaRegistryUrl().toString();
    int first = register(registry, "first-value", "First");
    int second = register(registry, "second-value", "Second");

    stack.kill("schema-registry");
    stack.restart("schema-registry", Duration.ofMinutes(2), line -> {});

    assertThat(send(HttpRequest.newBuilder(URI.create(registry + "/schemas/ids/" + second)).GET()))
        .contains("Second");
    assertThat(register(registry, "first-value", "First")).as("the same schema registered again").isEqualTo(first);
    assertThat(register(registry, "third-value", "Third")).as("a new schema gets a new id")
        .isNotIn(first, second);
  }

  private static int register(String registry, String subject, String record) throws Exception {
    String schema = "{\"type\":\"record\",\"name\":\"" + record + "\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}";
    String body = "{\"schema\":\"" + schema.replace("\"", "\\\"") + "\"}";
    String answer = send(HttpRequest.newBuilder(URI.create(registry + "/subjects/" + subject + "/versions"))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
    return Integer.parseInt(answer.replaceAll("(?s).*\"id\"\\s*:\\s*(\\d+).*", "$1"));
  }

  private static String send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(request.timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }
}
