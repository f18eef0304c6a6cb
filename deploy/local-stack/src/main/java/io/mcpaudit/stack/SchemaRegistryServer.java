package io.mcpaudit.stack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The schema registry: Apicurio Registry, used for its Confluent-compatible API (Confluent's own
 * registry is not published on Maven Central). Schemas are stored in an H2 database file in the
 * server's work folder, written through on every commit, so a registry that is killed and restarted
 * hands out the same ids as before — as a Confluent registry does with its {@code _schemas} topic.
 * (Apicurio 2.x, which also runs on Java 17, is published on Central only with in-memory storage.)
 */
final class SchemaRegistryServer implements Component {

  static final String CONFLUENT_API = "/apis/ccompat/v7";

  private final String version;

  SchemaRegistryServer(String version) {
    this.version = version;
  }

  @Override
  public String name() {
    return "schema-registry";
  }

  @Override
  public String title() {
    return "Apicurio Registry " + version;
  }

  @Override
  public Distribution distribution() {
    return new Distribution("apicurio-registry", version, title(), Distribution.Kind.ARCHIVE,
        List.of("io.apicurio:apicurio-registry-app:" + version + ":tar.gz:all"));
  }

  @Override
  public JdkRange jdks() {
    return JdkRange.atLeast(21);
  }

  @Override
  public Process launch(Launch l) throws StackException {
    Path tmp = l.workDir().resolve("tmp");
    Path data = l.workDir().resolve("data");
    try {
      Files.createDirectories(tmp);
      Files.createDirectories(data);
    } catch (IOException e) {
      throw new StackException("cannot create " + tmp + " and " + data + ": " + e.getMessage(), e);
    }
    return ServerProcess.spawn(title(), List.of(
        l.jdk().java().toString(), "-Xmx512m",
        "-Djava.io.tmpdir=" + tmp,
        "-Dquarkus.http.host=" + Ports.HOST,
        "-Dquarkus.http.port=" + l.port(),
        // Health and metrics listen on a port of their own, on every interface unless told otherwise.
        "-Dquarkus.management.host=" + Ports.HOST,
        "-Dquarkus.management.port=" + l.internalPort(),
        "-Dquarkus.http.access-log.enabled=false",
        "-Dapicurio.storage.kind=sql",
        "-Dapicurio.storage.sql.kind=h2",
        // WRITE_DELAY=0: H2 otherwise flushes commits up to 500 ms later, and a SIGKILL in that time
        // forgets schemas whose ids clients already use.
        "-Dapicurio.datasource.url=" + databaseUrl(data),
        l.marker(),
        "-jar", runnerJar(l.distribution()).toString()), Map.of(), l.workDir(), l.log());
  }

  static String databaseUrl(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("registry") + ";WRITE_DELAY=0";
  }

  private Path runnerJar(Path distribution) throws StackException {
    Path jar = distribution.resolve("quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new StackException("no quarkus-run.jar in " + distribution
          + "; delete that folder so the distribution is fetched again");
    }
    return jar;
  }

  @Override
  public boolean ready(int port) {
    return Probes.answers200(URI.create(endpoint(port) + "/subjects"));
  }

  @Override
  public String endpoint(int port) {
    return "http://" + Ports.HOST + ":" + port + CONFLUENT_API;
  }
}
