package io.mcpaudit.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpaudit.stack.KafkaSecurity.ScramUser;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaSecurityTest {

  private static final KafkaSecurity SECURITY = new KafkaSecurity(Path.of("/certs/broker.p12"), "store-pass",
      Path.of("/certs/trust.p12"), "trust-pass", new ScramUser("admin", "admin-secret!"),
      List.of(new ScramUser("mcp-audit-agent", "agent-pa$$word")));

  @Test
  void aSecuredBrokerOffersClientsOnlySaslSslAndItsControllerOnlyMutualTls() throws Exception {
    Properties p = new Properties();
    p.load(new StringReader(KafkaServer.serverProperties(41234, 41235, Path.of("/run/kafka/data"), SECURITY,
        "CN=localhost,O=mcp-audit test")));

    assertThat(p).containsEntry("listeners", "SASL_SSL://127.0.0.1:41234,CONTROLLER://127.0.0.1:41235")
        .containsEntry("advertised.listeners", "SASL_SSL://127.0.0.1:41234")
        .containsEntry("inter.broker.listener.name", "SASL_SSL")
        .containsEntry("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:SSL")
        .containsEntry("listener.name.controller.ssl.client.auth", "required")
        .containsEntry("ssl.keystore.type", "PKCS12")
        .containsEntry("ssl.keystore.location", "/certs/broker.p12")
        .containsEntry("ssl.keystore.password", "store-pass")
        .containsEntry("ssl.truststore.location", "/certs/trust.p12")
        .containsEntry("ssl.truststore.password", "trust-pass")
        .containsEntry("sasl.enabled.mechanisms", "SCRAM-SHA-512")
        .containsEntry("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512")
        .containsEntry("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\""
                + " password=\"admin-secret!\";")
        .containsEntry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
        .containsEntry("allow.everyone.if.no.acl.found", "false")
        .containsEntry("super.users", "User:admin;User:CN=localhost,O=mcp-audit test");
    assertThat(p.stringPropertyNames()).noneMatch(name -> name.startsWith("listener.name.plaintext"));
    assertThat(p.getProperty("listeners")).doesNotContain("PLAINTEXT");
  }

  @Test
  void withoutSecurityTheBrokerIsPlaintextAsBefore() throws Exception {
    Properties p = new Properties();
    p.load(new StringReader(KafkaServer.serverProperties(41234, 41235, Path.of("/run/kafka/data"))));

    assertThat(p).containsEntry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT")
        .doesNotContainKey("authorizer.class.name")
        .doesNotContainKey("super.users");
  }

  @Test
  void everyUserIsCreatedAtFormatTimeAdministratorFirst() {
    assertThat(KafkaServer.scramArguments(SECURITY)).containsExactly(
        "--add-scram", "SCRAM-SHA-512=[name=admin,password=admin-secret!]",
        "--add-scram", "SCRAM-SHA-512=[name=mcp-audit-agent,password=agent-pa$$word]");
  }

  @Test
  void aClientLogsInAsItsOwnUserOverTls() {
    Map<String, Object> agent = SECURITY.clientConfig("mcp-audit-agent");

    assertThat(agent).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"mcp-audit-agent\" password=\"agent-pa$$word\";")
        .containsEntry("ssl.truststore.type", "PKCS12")
        .containsEntry("ssl.truststore.location", "/certs/trust.p12")
        .containsEntry("ssl.truststore.password", "trust-pass")
        .doesNotContainKey("ssl.endpoint.identification.algorithm");
    assertThatThrownBy(() -> SECURITY.clientConfig("nobody")).hasMessageContaining("no Kafka user nobody");
  }

  @Test
  void passwordsStayOutOfToString() {
    assertThat(SECURITY.toString()).doesNotContain("secret", "pa$$word", "store-pass", "trust-pass")
        .contains("admin", "mcp-audit-agent");
    StackEndpoints endpoints = new StackEndpoints("127.0.0.1:1", java.net.URI.create("http://127.0.0.1:2"),
        java.net.URI.create("http://127.0.0.1:3"), SECURITY.clientConfig(SECURITY.admin()));
    assertThat(endpoints.toString()).doesNotContain("secret").contains("SASL_SSL");
  }

  @Test
  void namesAndPasswordsThatKafkasParsersWouldMangleAreRefused() {
    assertThatThrownBy(() -> new ScramUser("alice", "has,comma1")).hasMessageContaining("commas");
    assertThatThrownBy(() -> new ScramUser("alice", "quote\"d-password")).hasMessageContaining("quotes");
    assertThatThrownBy(() -> new ScramUser("alice", "short")).hasMessageContaining("8-128");
    assertThatThrownBy(() -> new ScramUser("bob smith", "long-enough")).hasMessageContaining("user name");
    assertThatThrownBy(() -> new KafkaSecurity(Path.of("k"), "store-pass", Path.of("t"), "trust-pass",
        new ScramUser("admin", "admin-secret"), List.of(new ScramUser("admin", "other-secret"))))
        .hasMessageContaining("listed twice");
  }

  @Test
  void aPlaintextStackNeedsNoClientSettings() {
    assertThat(LocalStackConfig.at(Path.of("/tmp/x")).kafkaSecurity()).isNull();
    assertThat(new StackEndpoints("127.0.0.1:1", java.net.URI.create("http://127.0.0.1:2"),
        java.net.URI.create("http://127.0.0.1:3")).kafkaClientConfig()).isEmpty();
  }
}
