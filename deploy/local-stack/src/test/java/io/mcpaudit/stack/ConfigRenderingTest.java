package io.mcpaudit.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConfigRenderingTest {

  @Test
  void kafkaRunsAsOneCombinedNodeOnLoopback() throws Exception {
    Properties p = new Properties();
    p.load(new StringReader(KafkaServer.serverProperties(41234, 41235, Path.of("/run/kafka/data"))));

    assertThat(p).containsEntry("process.roles", "broker,controller")
        .containsEntry("listeners", "PLAINTEXT://127.0.0.1:41234,CONTROLLER://127.0.0.1:41235")
        .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:41234")
        .containsEntry("controller.quorum.voters", "1@127.0.0.1:41235")
        .containsEntry("controller.listener.names", "CONTROLLER")
        .containsEntry("log.dirs", "/run/kafka/data")
        .containsEntry("offsets.topic.replication.factor", "1")
        .containsEntry("transaction.state.log.replication.factor", "1")
        .containsEntry("transaction.state.log.min.isr", "1")
        .containsEntry("min.insync.replicas", "1")
        .containsEntry("group.initial.rebalance.delay.ms", "0")
        .containsEntry("auto.create.topics.enable", "true");
  }

  @Test
  void kafkaClusterIdsLookLikeKafkasOwn() {
    for (int i = 0; i < 200; i++) {
      assertThat(KafkaServer.newClusterId()).hasSize(22).matches("[A-Za-z0-9_][A-Za-z0-9_-]{21}");
    }
  }

  @Test
  void openSearchIsASingleLoopbackNodeWithItsOwnFolders() {
    String yml = OpenSearchServer.opensearchYml(9201, 9301, Path.of("/run/os/data"), Path.of("/run/os/logs"));

    assertThat(yml.lines()).contains(
        "network.host: 127.0.0.1",
        "http.port: 9201",
        "transport.port: 9301",
        "discovery.type: single-node",
        "path.data: \"/run/os/data\"",
        "path.logs: \"/run/os/logs\"");
  }

  @Test
  void openSearch2IsKeptOffJdksWithoutASecurityManager() {
    assertThat(new OpenSearchServer("2.19.6").jdks()).isEqualTo(new JdkRange(17, 23));
  }

  @Test
  void theKafkaPomAsksForTheBrokerAndItsLogBinding() {
    Distribution kafka = new KafkaServer("4.3.1", "2.25.2").distribution();

    assertThat(DistributionCache.classpathPom(kafka))
        .contains("<groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>4.3.1</version>")
        .contains("<artifactId>log4j-slf4j-impl</artifactId><version>2.25.2</version>");
  }

  @Test
  void versionsComeFromTheBuild() {
    StackVersions v = StackVersions.bundled();

    assertThat(List.of(v.kafka(), v.apicurio(), v.openSearch(), v.log4j(), v.dependencyPlugin()))
        .allSatisfy(version -> assertThat(version).matches("\\d+\\.\\d+.*"));
  }

  @Test
  void theRegistryEndpointIsTheConfluentApiBase() {
    assertThat(new SchemaRegistryServer("2.6.13.Final").endpoint(8081))
        .isEqualTo("http://127.0.0.1:8081/apis/ccompat/v7");
  }

  @Test
  void markersDifferPerServerAndRunFolder() {
    String a = ServerProcess.marker("kafka", Path.of("/a"));
    assertThat(a).startsWith("-Dmcpaudit.stack=kafka@").doesNotContain(" ");
    assertThat(ServerProcess.marker("kafka", Path.of("/a"))).isEqualTo(a);
    assertThat(ServerProcess.marker("kafka", Path.of("/b"))).isNotEqualTo(a);
    assertThat(ServerProcess.marker("opensearch", Path.of("/a"))).isNotEqualTo(a);
  }

  @Test
  void badConfigValuesAreNamed() {
    assertThatThrownBy(() -> LocalStackConfig.at(Path.of("/tmp/x")).withPorts(70000, 0, 0))
        .hasMessage("kafkaPort must be 0 (any free port) or 1-65535, not 70000");
    assertThat(LocalStackConfig.defaults().runDir()).endsWith(Path.of(".mcp-audit", "stack"));
  }
}
