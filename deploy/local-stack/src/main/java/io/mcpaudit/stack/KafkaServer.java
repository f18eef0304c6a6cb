package io.mcpaudit.stack;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A single Kafka broker in KRaft mode, broker and controller in one process, set up for one node;
 * plaintext, or secured (TLS, SCRAM-SHA-512, ACLs) when given a {@link KafkaSecurity}.
 */
final class KafkaServer implements Component {

  private static final String HEAP = "-Xmx512m";
  /** In a secured stack's Kafka folder: the administrator's client settings, for later processes and tools. */
  static final String ADMIN_CLIENT_FILE = "admin-client.properties";

  private final String version;
  private final String log4jVersion;
  /** How to secure a Kafka this object launches; null for plaintext or when only probing a running one. */
  private final KafkaSecurity security;
  /** Whether clients (and the readiness probe) must speak TLS. */
  private final boolean tls;

  KafkaServer(String version, String log4jVersion) {
    this(version, log4jVersion, null, false);
  }

  KafkaServer(String version, String log4jVersion, KafkaSecurity security) {
    this(version, log4jVersion, security, security != null);
  }

  private KafkaServer(String version, String log4jVersion, KafkaSecurity security, boolean tls) {
    this.version = version;
    this.log4jVersion = log4jVersion;
    this.security = security;
    this.tls = tls;
  }

  /** The Kafka of a stack started earlier, possibly by another process: enough to probe and describe it. */
  static KafkaServer runningIn(Path runDir, String version, String log4jVersion) {
    return new KafkaServer(version, log4jVersion, null, Files.exists(adminClientFile(runDir)));
  }

  static Path adminClientFile(Path runDir) {
    return runDir.resolve("kafka").resolve(ADMIN_CLIENT_FILE);
  }

  /**
   * The administrator's Kafka client settings that a secured stack in {@code runDir} left, empty for a
   * plaintext one (or none).
   */
  static Map<String, Object> adminClientConfig(Path runDir) throws StackException {
    Path file = adminClientFile(runDir);
    if (!Files.exists(file)) {
      return Map.of();
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new StackException("cannot read Kafka's client settings " + file + ": " + e.getMessage(), e);
    }
    Map<String, Object> config = new TreeMap<>();
    p.stringPropertyNames().forEach(name -> config.put(name, p.getProperty(name)));
    return Map.copyOf(config);
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
      if (security == null) {
        Files.writeString(config, serverProperties(l.port(), l.internalPort(), l.workDir().resolve("data")));
      } else {
        // Passwords inside: readable by the launching user only.
        writePrivate(config, serverProperties(l.port(), l.internalPort(), l.workDir().resolve("data"), security,
            brokerPrincipal(security)));
        writePrivate(l.workDir().resolve(ADMIN_CLIENT_FILE), propertiesText(security.clientConfig(security.admin()),
            "Kafka client settings of this stack's administrator (super user); written at each start"));
      }
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

  /**
   * KRaft needs its log folder formatted with a cluster id before the first start. A secured broker's
   * SCRAM users go into the initial metadata here: the broker logs in to itself as the administrator
   * before it could accept any request to create users.
   */
  private void format(Launch l, List<String> java, Path config) throws StackException {
    List<String> command = concat(java,
        List.of("kafka.tools.StorageTool", "format", "-t", newClusterId(), "-c", config.toString()));
    if (security != null) {
      command = concat(command, scramArguments(security));
    }
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

  /** {@code --add-scram} arguments creating every user of {@code security}, administrator first. */
  static List<String> scramArguments(KafkaSecurity security) {
    List<String> args = new ArrayList<>();
    for (KafkaSecurity.ScramUser u : security.allUsers()) {
      args.add("--add-scram");
      args.add(KafkaSecurity.MECHANISM + "=[name=" + u.name() + ",password=" + u.password() + "]");
    }
    return args;
  }

  static String serverProperties(int port, int controllerPort, Path dataDir) {
    return serverProperties(port, controllerPort, dataDir, null, null);
  }

  /**
   * The broker's configuration. Secured, clients reach only a SASL_SSL listener (SCRAM-SHA-512); the
   * controller listener is TLS with client certificates required, so only a holder of a certificate
   * from the stack's authority gets in, and only the broker's own certificate ({@code brokerPrincipal})
   * has rights there. The broker talks to itself over SASL_SSL as the administrator.
   */
  static String serverProperties(int port, int controllerPort, Path dataDir, KafkaSecurity security,
                                 String brokerPrincipal) {
    String clients = security == null ? "PLAINTEXT" : "SASL_SSL";
    String controller = security == null ? "PLAINTEXT" : "SSL";
    return """
        # Written by the mcp-audit local stack at each start; edits are lost.
        process.roles=broker,controller
        node.id=1
        controller.quorum.voters=1@%1$s:%3$d
        controller.listener.names=CONTROLLER
        listeners=%5$s://%1$s:%2$d,CONTROLLER://%1$s:%3$d
        advertised.listeners=%5$s://%1$s:%2$d
        inter.broker.listener.name=%5$s
        listener.security.protocol.map=%5$s:%5$s,CONTROLLER:%6$s
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
        """.formatted(Ports.HOST, port, controllerPort, escape(dataDir.toAbsolutePath().toString()), clients,
        controller) + (security == null ? "" : securityProperties(security, brokerPrincipal));
  }

  private static String securityProperties(KafkaSecurity s, String brokerPrincipal) {
    return """
        # Secured: TLS on both listeners, SCRAM-SHA-512 logins for clients, ACLs enforced.
        ssl.keystore.type=PKCS12
        ssl.keystore.location=%1$s
        ssl.keystore.password=%2$s
        ssl.key.password=%2$s
        ssl.truststore.type=PKCS12
        ssl.truststore.location=%3$s
        ssl.truststore.password=%4$s
        listener.name.controller.ssl.client.auth=required
        sasl.enabled.mechanisms=%5$s
        sasl.mechanism.inter.broker.protocol=%5$s
        listener.name.sasl_ssl.%6$s.sasl.jaas.config=%7$s
        authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
        allow.everyone.if.no.acl.found=false
        # The administrator, and the broker itself on the controller listener (its certificate's subject).
        super.users=%8$s;User:%9$s
        """.formatted(escape(s.keyStore().toString()), escape(s.keyStorePassword()),
        escape(s.trustStore().toString()), escape(s.trustStorePassword()), KafkaSecurity.MECHANISM,
        KafkaSecurity.MECHANISM.toLowerCase(Locale.ROOT), escape(KafkaSecurity.jaasLogin(s.admin())),
        s.admin().principal(), escape(brokerPrincipal));
  }

  /**
   * The subject of the broker's certificate, as Kafka names a TLS client: RFC 2253, e.g.
   * {@code CN=localhost,O=example}. Also checks that the key store opens and holds one private key.
   */
  static String brokerPrincipal(KafkaSecurity security) throws StackException {
    String subject = KeyStores.subjectOfOnlyKey(security.keyStore(), security.keyStorePassword(), "Kafka's");
    if (subject.contains(";")) {
      throw new StackException("the broker certificate's subject " + subject + " contains ';', which Kafka's"
          + " super.users setting cannot hold; use a certificate without it");
    }
    return subject;
  }

  /** Every problem with the stores, worded for the user; empty when both open with their passwords. */
  static Optional<String> checkStores(KafkaSecurity security) {
    try {
      brokerPrincipal(security);
      KeyStores.load(security.trustStore(), security.trustStorePassword(), "Kafka's", "trust store");
      return Optional.empty();
    } catch (StackException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** A value as {@link Properties} reads it back unchanged. */
  private static String escape(String value) {
    StringBuilder out = new StringBuilder();
    for (char c : value.toCharArray()) {
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(c);
      }
    }
    return out.length() > 0 && out.charAt(0) == ' ' ? "\\" + out : out.toString();
  }

  private static String propertiesText(Map<String, Object> values, String comment) throws IOException {
    Properties p = new Properties();
    values.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
    StringWriter text = new StringWriter();
    p.store(text, comment);
    return text.toString();
  }

  private static void writePrivate(Path file, String text) throws IOException {
    Files.deleteIfExists(file);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, text);
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
    return tls ? Probes.kafkaAnswersOverTls(port) : Probes.kafkaAnswers(port);
  }

  @Override
  public String endpoint(int port) {
    return Ports.HOST + ":" + port;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
