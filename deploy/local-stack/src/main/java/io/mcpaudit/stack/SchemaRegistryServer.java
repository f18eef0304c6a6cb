package io.mcpaudit.stack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The schema registry: Apicurio Registry with in-memory storage, used for its Confluent-compatible
 * API (Confluent's own registry is not published on Maven Central).
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
    return JdkRange.atLeast(17);
  }

  @Override
  public Process launch(Launch l) throws StackException {
    Path tmp = l.workDir().resolve("tmp");
    try {
      Files.createDirectories(tmp);
    } catch (IOException e) {
      throw new StackException("cannot create " + tmp + ": " + e.getMessage(), e);
    }
    return ServerProcess.spawn(title(), List.of(
        l.jdk().java().toString(), "-Xmx512m",
        "-Djava.io.tmpdir=" + tmp,
        "-Dquarkus.http.host=" + Ports.HOST,
        // The bundled configuration sets the prod-profile port from HTTP_PORT; set both so either lookup wins.
        "-Dquarkus.http.port=" + l.port(),
        "-DHTTP_PORT=" + l.port(),
        l.marker(),
        "-jar", runnerJar(l.distribution()).toString()), Map.of(), l.workDir(), l.log());
  }

  private Path runnerJar(Path distribution) throws StackException {
    try (Stream<Path> files = Files.list(distribution)) {
      return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
          .orElseThrow(() -> new StackException("no *-runner.jar in " + distribution
              + "; delete that folder so the distribution is fetched again"));
    } catch (IOException e) {
      throw new StackException("cannot read " + distribution + ": " + e.getMessage(), e);
    }
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
