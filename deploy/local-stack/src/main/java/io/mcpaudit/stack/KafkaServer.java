package io.mcpaudit.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A single Kafka broker in KRaft mode, broker and controller in one process, set up for one node. */
final class KafkaServer implements Component {

  private static final String HEAP = "-Xmx512m";

  private final String version;
  private final String log4jVersion;

  KafkaServer(String version, String log4jVersion) {
    this.version = version;
    this.log4jVersion = log4jVersion;
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public String title() {
    return "Kafka " + version;
  }

  @Override
  public Distribution distribution() {
    // Kafka logs through SLF4J 1.7, so the Log4j 2 binding for that SLF4J line goes with it.
    return new Distribution("kafka", version, title(), Distribution.Kind.CLASSPATH, List.of(
        "org.apache.kafka:kafka_2.13:" + version,
        "org.apache.logging.log4j:log4j-core:" + log4jVersion,
        "org.apache.logging.log4j:log4j-slf4j-impl:" + log4jVersion));
  }

  @Override
  public JdkRange jdks() {
    return JdkRange.atLeast(17);
  }

  @Override
  public Process launch(Launch l) throws StackException {
    Path config = l.workDir().resolve("server.properties");
    Path logging = l.workDir().resolve("log4j2.properties");
    try {
      Files.createDirectories(l.workDir());
      Files.writeString(config, serverProperties(l.port(), l.internalPort(), l.workDir().resolve("data")));
      Files.writeString(logging, LOG4J2);
    } catch (IOException e) {
      throw new StackException("cannot write Kafka's configuration in " + l.workDir() + ": " + e.getMessage(), e);
    }
    List<String> java = List.of(l.jdk().java().toString(), HEAP, "-Djava.awt.headless=true",
        "-Dlog4j2.configurationFile=" + logging, "-cp", l.distribution().resolve("libs") + "/*");
    if (!l.restart() || !Files.exists(l.workDir().resolve("data").resolve("meta.properties"))) {
      format(l, java, config);
    }
    return ServerProcess.spawn(title(),
        concat(java, List.of(l.marker(), "kafka.Kafka", config.toString())), Map.of(), l.workDir(), l.log());
  }

  /** KRaft needs its log folder formatted with a cluster id before the first start. */
  private void format(Launch l, List<String> java, Path config) throws StackException {
    List<String> command = concat(java,
        List.of("kafka.tools.StorageTool", "format", "-t", newClusterId(), "-c", config.toString()));
    try {
      Process p = ServerProcess.spawn(title() + " storage format", command, Map.of(), l.workDir(), l.log());
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new StackException("Kafka storage format did not finish within 2 min; log: " + l.log());
      }
      if (p.exitValue() != 0) {
        throw new StackException("Kafka storage format failed (exit " + p.exitValue() + "); log: " + l.log()
            + System.lineSeparator() + ServerProcess.tail(l.log(), 8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while formatting Kafka's storage", e);
    }
  }

  /** Like Kafka's own {@code Uuid.randomUuid()}: 16 random bytes, URL-safe base64, never starting with '-'. */
  static String newClusterId() {
    SecureRandom random = new SecureRandom();
    byte[] bytes = new byte[16];
    String id;
    do {
      random.nextBytes(bytes);
      id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    } while (id.startsWith("-"));
    return id;
  }

  static String serverProperties(int port, int controllerPort, Path dataDir) {
    return """
        # Written by the mcp-audit local stack at each start; edits are lost.
        process.roles=broker,controller
        node.id=1
        controller.quorum.voters=1@%1$s:%3$d
        controller.listener.names=CONTROLLER
        listeners=PLAINTEXT://%1$s:%2$d,CONTROLLER://%1$s:%3$d
        advertised.listeners=PLAINTEXT://%1$s:%2$d
        inter.broker.listener.name=PLAINTEXT
        listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
        log.dirs=%4$s
        # One node: every internal topic has a single replica.
        offsets.topic.replication.factor=1
        transaction.state.log.replication.factor=1
        transaction.state.log.min.isr=1
        share.coordinator.state.topic.replication.factor=1
        share.coordinator.state.topic.min.isr=1
        min.insync.replicas=1
        default.replication.factor=1
        # Fewer internal partitions make the first consumer group and transaction start faster.
        offsets.topic.num.partitions=5
        transaction.state.log.num.partitions=5
        num.partitions=1
        auto.create.topics.enable=true
        group.initial.rebalance.delay.ms=0
        """.formatted(Ports.HOST, port, controllerPort, dataDir.toAbsolutePath());
  }

  private static final String LOG4J2 = """
      status = warn
      appender.console.type = Console
      appender.console.name = STDOUT
      appender.console.layout.type = PatternLayout
      appender.console.layout.pattern = [%d] %p %m (%c)%n
      rootLogger.level = INFO
      rootLogger.appenderRef.stdout.ref = STDOUT
      """;

  @Override
  public boolean ready(int port) {
    return Probes.kafkaAnswers(port);
  }

  @Override
  public String endpoint(int port) {
    return Ports.HOST + ":" + port;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
