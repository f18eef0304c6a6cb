package io.mcpaudit.stack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A single OpenSearch node (the minimal integ-test distribution, no plugins unless secured). When the
 * launcher is root the node runs as uid 65534 from its own copy of the distribution, in folders that
 * uid can reach. A secured node ({@link OpenSearchSecurity}) always gets its own copy, with the
 * security plugin installed into it.
 */
final class OpenSearchServer implements Component {

  private final String version;
  /** How to secure a node about to start; null for a plain one, or when only attaching to a running one. */
  private final OpenSearchSecurity security;
  private final boolean secured;

  OpenSearchServer(String version) {
    this(version, null, false);
  }

  OpenSearchServer(String version, OpenSearchSecurity security) {
    this(version, security, security != null);
  }

  private OpenSearchServer(String version, OpenSearchSecurity security, boolean secured) {
    this.version = version;
    this.security = security;
    this.secured = secured;
  }

  /** The node a stack in {@code runDir} runs, secured if its configuration says so. */
  static OpenSearchServer runningIn(Path runDir, String version) {
    boolean secured = Files.isDirectory(runDir.resolve("opensearch").resolve("config")
        .resolve(OpenSearchSecuritySetup.PLUGIN));
    return new OpenSearchServer(version, null, secured);
  }

  @Override
  public String name() {
    return "opensearch";
  }

  @Override
  public String title() {
    return "OpenSearch " + version;
  }

  @Override
  public Distribution distribution() {
    String node = "org.opensearch.distribution.integ-test-zip:opensearch:" + version + ":zip";
    return secured
        ? new Distribution("opensearch-secured", version, title() + " with the security plugin",
            Distribution.Kind.ARCHIVE, List.of(node, OpenSearchSecuritySetup.pluginArtifact(version)))
        : new Distribution("opensearch", version, title(), Distribution.Kind.ARCHIVE, List.of(node));
  }

  @Override
  public JdkRange jdks() {
    // OpenSearch 2.x installs a SecurityManager, which Java 24 and later no longer allow.
    return version.startsWith("2.") ? new JdkRange(17, 23) : JdkRange.atLeast(21);
  }

  @Override
  public Process launch(Launch l) throws StackException {
    boolean dropRoot = Unprivileged.launcherIsRoot();
    Path node = dropRoot && !Unprivileged.canReach(l.runDir())
        ? Unprivileged.reachableFolderFor(l.runDir()) : l.workDir();
    Path shipped = shippedHome(l.distribution());
    // uid 65534 cannot read the cache under root's home, so a root launcher gives the node its own
    // copy; so does a secured node, whose plugin must not go into the shared cache.
    boolean ownCopy = dropRoot || secured;
    Path home = ownCopy ? node.resolve("home") : shipped;
    if (l.restart() && Files.isDirectory(node.resolve("config")) && Files.isDirectory(node.resolve("data"))) {
      return spawn(l, node, home, dropRoot);
    }
    try {
      FileTrees.delete(node);
      Files.createDirectories(node);
      if (!node.equals(l.workDir())) {
        Files.createDirectories(l.workDir().getParent());
        Files.createSymbolicLink(l.workDir(), node);
      }
      if (ownCopy) {
        FileTrees.copy(shipped, home);
      }
      FileTrees.copy(shipped.resolve("config"), node.resolve("config"));
      Files.writeString(node.resolve("config").resolve("opensearch.yml"),
          opensearchYml(l.port(), l.internalPort(), node.resolve("data"), node.resolve("logs")));
      if (secured) {
        if (security == null) {
          throw new StackException("cannot start a secured OpenSearch afresh without its security settings");
        }
        new OpenSearchSecuritySetup(security).apply(l.distribution().resolve(OpenSearchSecuritySetup.PLUGIN), home,
            node.resolve("config"), l.jdk());
      }
      for (String dir : List.of("data", "logs", "tmp")) {
        Files.createDirectories(node.resolve(dir));
      }
      if (dropRoot) {
        FileTrees.chown(node, Unprivileged.ID, Unprivileged.ID);
      }
    } catch (IOException e) {
      throw new StackException("cannot prepare OpenSearch's folder " + node + ": " + e.getMessage(), e);
    }
    return spawn(l, node, home, dropRoot);
  }

  private Process spawn(Launch l, Path node, Path home, boolean dropRoot) throws StackException {
    List<String> command = new ArrayList<>(dropRoot ? Unprivileged.commandPrefix() : List.of());
    command.add(home.resolve("bin").resolve("opensearch").toString());
    Map<String, String> env = Map.of(
        "OPENSEARCH_JAVA_HOME", l.jdk().home().toString(),
        "JAVA_HOME", l.jdk().home().toString(),
        "OPENSEARCH_PATH_CONF", node.resolve("config").toString(),
        "OPENSEARCH_TMPDIR", node.resolve("tmp").toString(),
        // Appended after config/jvm.options, so this heap wins over the distribution's 1 GiB.
        "OPENSEARCH_JAVA_OPTS", "-Xms512m -Xmx512m " + l.marker());
    return ServerProcess.spawn(title(), command, env, node, l.log());
  }

  /** The distribution's top folder, the one with {@code bin/opensearch}. */
  private static Path shippedHome(Path distribution) throws StackException {
    try (Stream<Path> dirs = Files.list(distribution)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("bin").resolve("opensearch"))).findFirst()
          .orElseThrow(() -> new StackException("no bin/opensearch under " + distribution
              + "; delete that folder so the distribution is fetched again"));
    } catch (IOException e) {
      throw new StackException("cannot read " + distribution + ": " + e.getMessage(), e);
    }
  }

  static String opensearchYml(int httpPort, int transportPort, Path data, Path logs) {
    return """
        # Written by the mcp-audit local stack at each start; edits are lost.
        cluster.name: mcp-audit-local
        node.name: local
        network.host: %s
        http.port: %d
        transport.port: %d
        discovery.type: single-node
        path.data: "%s"
        path.logs: "%s"
        # A nearly full developer disk must not turn the node read-only or leave shards unassigned.
        cluster.routing.allocation.disk.threshold_enabled: false
        """.formatted(Ports.HOST, httpPort, transportPort, yamlEscape(data), yamlEscape(logs));
  }

  private static String yamlEscape(Path p) {
    return p.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /**
   * A plain node is ready when its cluster is yellow; a secured one when it refuses an anonymous
   * request with 401, which the plugin does only once its configuration is loaded (before that it
   * answers 503), so the probe needs no password.
   */
  @Override
  public boolean ready(int port) {
    return secured
        ? Probes.answersOverTls(URI.create(endpoint(port) + "/_cluster/health"), 401)
        : Probes.answers200(URI.create(endpoint(port) + "/_cluster/health?wait_for_status=yellow&timeout=1s"));
  }

  @Override
  public String endpoint(int port) {
    return (secured ? "https://" : "http://") + Ports.HOST + ":" + port;
  }

  /** Problems with the security settings, checked before anything starts. */
  List<String> check() {
    return security == null ? List.of() : new OpenSearchSecuritySetup(security).check();
  }
}
