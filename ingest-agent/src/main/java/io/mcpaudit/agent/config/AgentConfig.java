package io.mcpaudit.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the agent is configured with, validated. Loaded by {@link AgentConfigLoader}
 * from defaults, one YAML file, environment variables and command-line options, in
 * that order of precedence (later wins).
 *
 * @param kafkaBootstrap empty for {@code --kafka none}
 * @param eventsTopic the topic events go to ({@code mcp.audit.events.v1} unless configured)
 * @param kafkaDrainTimeout how long stopping may spend delivering buffered and spooled events
 * @param fingerprintKey a base64 key given inline (environment), else the key file is used
 * @param http the HTTP reverse proxy (HTTP mode)
 * @param approvals the approval endpoint (either mode)
 */
public record AgentConfig(
    String agentId,
    Optional<String> serverName,
    Optional<String> clientUser,
    Optional<String> kafkaBootstrap,
    Optional<URI> schemaRegistryUrl,
    String eventsTopic,
    Map<String, Object> producerProperties,
    Duration kafkaRetryInterval,
    Duration kafkaDrainTimeout,
    Path spoolDir,
    long spoolMaxBytes,
    long spoolSegmentBytes,
    Path fingerprintKeyFile,
    Optional<String> fingerprintKey,
    int maxTextBytes,
    int maxMessageBytes,
    int queueMaxEvents,
    long queueMaxBytes,
    Optional<Path> captureFile,
    HttpSettings http,
    ApprovalSettings approvals) {

  public AgentConfig {
    producerProperties = Map.copyOf(producerProperties);
  }

  @Override
  public String toString() {
    // Never print the inline key or producer secrets (sasl.jaas.config, ssl passwords).
    return "AgentConfig[agentId=" + agentId + ", serverName=" + serverName.orElse("-") + ", kafka="
        + kafkaBootstrap.orElse("none") + ", schemaRegistry=" + schemaRegistryUrl.map(URI::toString).orElse("-")
        + ", topic=" + eventsTopic + ", spool=" + spoolDir + " (" + spoolMaxBytes + " bytes), capture="
        + captureFile.map(Path::toString).orElse("-") + ", http=" + http.listen().map(HostPort::toString).orElse("-")
        + " -> " + http.upstream().map(URI::toString).orElse("-") + ", " + approvals + "]";
  }
}
