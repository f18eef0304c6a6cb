package io.mcpaudit.deploy;

import static io.mcpaudit.deploy.DeployFiles.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpaudit.deploy.DeployFiles.K8sObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The mcp-audit image (deploy/docker/Dockerfile): built from the CLI's runnable layout, on a pinned
 * Java 17 runtime, as a non-root user, with the readiness signal its health checks rely on.
 */
class DockerImageTest {
  private static final String DOCKERFILE = DeployFiles.read(DeployFiles.DOCKERFILE);
  private static final Path ENTRY_SCRIPT = ROOT.resolve("deploy/docker/mcp-audit.sh");

  @Test
  void itRunsOnAJava17RuntimeImage() {
    Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(DOCKERFILE);
    assertThat(from.find()).isTrue();
    assertThat(from.group(1)).startsWith("eclipse-temurin:17.").contains("-jre");
    assertThat(from.find()).as("one stage: the image packages what Maven built").isFalse();
  }

  /** The CLI's pom decides the layout: finalName mcp-audit-cli and its dependencies copied to lib/. */
  @Test
  void itPackagesTheCliRunnableLayout() {
    String cliPom = DeployFiles.read(ROOT.resolve("cli/pom.xml"));
    assertThat(cliPom).contains("<finalName>mcp-audit-cli</finalName>")
        .contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>")
        .contains("<classpathPrefix>lib/</classpathPrefix>");
    assertThat(DOCKERFILE).containsPattern("(?m)^COPY cli/target/lib/ /opt/mcp-audit/lib/$")
        .containsPattern("(?m)^COPY cli/target/mcp-audit-cli.jar /opt/mcp-audit/mcp-audit-cli.jar$");
    assertThat(DeployFiles.read(ENTRY_SCRIPT)).contains("jar=/opt/mcp-audit/mcp-audit-cli.jar");
  }

  @Test
  void everyCopiedSourceExistsOrIsBuiltAndPassesTheDockerignore() {
    Path ignore = ROOT.resolve("deploy/docker/Dockerfile.dockerignore");
    String patterns = DeployFiles.read(ignore);
    assertThat(patterns).as("the context is the repository root: exclude everything first").containsPattern("(?m)^\\*$");
    List<String> sources = new ArrayList<>();
    Matcher copy = Pattern.compile("(?m)^COPY\\s+(\\S+)\\s+\\S+$").matcher(DOCKERFILE);
    while (copy.find()) {
      sources.add(copy.group(1));
    }
    assertThat(sources).hasSizeGreaterThanOrEqualTo(5);
    for (String source : sources) {
      String path = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
      assertThat(patterns).as("Dockerfile.dockerignore must let %s into the build context", path)
          .containsPattern("(?m)^!" + Pattern.quote(path) + "$");
      if (!path.startsWith("cli/target")) {
        assertThat(ROOT.resolve(path)).as("COPY %s", source).exists();
      }
    }
  }

  @Test
  void itRunsAsAnUnprivilegedUserWithTheUidTheKubernetesPodsExpect() {
    Matcher user = Pattern.compile("(?m)^USER\\s+(\\d+)(?::(\\d+))?\\s*$").matcher(DOCKERFILE);
    assertThat(user.find()).as("USER must be numeric, so runAsNonRoot can be checked").isTrue();
    int uid = Integer.parseInt(user.group(1));
    assertThat(uid).isGreaterThanOrEqualTo(1000);
    for (K8sObject workload : DeployFiles.workloads()) {
      for (JsonNode container : DeployFiles.allContainers(workload)) {
        if (DeployFiles.kustomizedImage(container.path("image").asText()).startsWith("mcp-audit:")) {
          JsonNode runAs = container.path("securityContext").path("runAsUser");
          if (runAs.isMissingNode()) {
            runAs = DeployFiles.podSpec(workload).path("securityContext").path("runAsUser");
          }
          assertThat(runAs.asInt(-1)).as("runAsUser of %s / %s", workload, container.path("name").asText())
              .isEqualTo(uid);
        }
      }
    }
  }

  /** The agent reads MCP_AUDIT_* variables over its --config file: the image must not set any of its keys. */
  @Test
  void theImageSetsNoAgentConfiguration() {
    Matcher env = Pattern.compile("(?m)^ENV\\s+((?:.*\\\\\\n)*.*)$").matcher(DOCKERFILE);
    List<String> names = new ArrayList<>();
    while (env.find()) {
      Matcher name = Pattern.compile("([A-Z][A-Z0-9_]*)=").matcher(env.group(1));
      while (name.find()) {
        names.add(name.group(1));
      }
    }
    assertThat(names).containsExactlyInAnyOrder("MCP_AUDIT_STATE_DIR", "MCP_AUDIT_JAVA_OPTS");
  }

  @Test
  void theEntryPointIsTheWrapperScript() throws Exception {
    assertThat(DOCKERFILE).contains("COPY deploy/docker/mcp-audit.sh /usr/local/bin/mcp-audit")
        .contains("ENTRYPOINT [\"/usr/local/bin/mcp-audit\"]");
    assertThat(Files.isExecutable(ENTRY_SCRIPT)).as("deploy/docker/mcp-audit.sh must be executable").isTrue();
    assertThat(DeployFiles.read(ENTRY_SCRIPT)).startsWith("#!/usr/bin/env bash\n")
        .contains("exec \"${java_cmd[@]}\"");
  }

  /**
   * The pipeline and router have no health endpoint: the entry script marks them ready from a line
   * they print. If the CLI changes that line, every health check and probe would fail; this ties
   * the script to the CLI's source and the probes to the script's file.
   */
  @Test
  void theReadinessSignalMatchesWhatTheCliPrintsAndWhatTheProbesTest() {
    String script = DeployFiles.read(ENTRY_SCRIPT);
    String pipeline = DeployFiles.read(ROOT.resolve("cli/src/main/java/io/mcpaudit/cli/pipeline/PipelineCommand.java"));
    assertThat(pipeline).contains("err.println(\"mcp-audit pipeline: \" + line)").contains("log(err, \"pipeline running: \"")
        .contains("log(err, \"stopping\")");
    assertThat(script).contains("\"mcp-audit pipeline: pipeline running\"*").contains("\"mcp-audit pipeline: stopping\"*");
    String route = DeployFiles.read(ROOT.resolve("cli/src/main/java/io/mcpaudit/cli/route/RouteCommand.java"));
    assertThat(route).contains("println(\"routing \" + ").contains("\"; Ctrl-C stops\"");
    assertThat(script).contains("\"routing \"*\"; Ctrl-C stops\"");

    String readyFile = "/tmp/mcp-audit.ready";
    assertThat(script).contains("ready=\"${MCP_AUDIT_READY_FILE:-" + readyFile + "}\"");
    JsonNode healthcheck = DeployFiles.composeServices().get("pipeline").path("healthcheck").path("test");
    assertThat(DeployFiles.texts(healthcheck)).containsExactly("CMD", "test", "-f", readyFile);
    for (String name : List.of("mcp-audit-pipeline", "mcp-audit-router")) {
      JsonNode container = DeployFiles.containers(DeployFiles.object("Deployment", name)).get(0);
      for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
        assertThat(DeployFiles.texts(container.path(probe).path("exec").path("command")))
            .as("%s of %s", probe, name).containsExactly("test", "-f", readyFile);
      }
      assertThat(DeployFiles.volumeMountedAt(DeployFiles.object("Deployment", name), container, "/tmp").has("emptyDir"))
          .as("%s: the ready file needs a writable /tmp under a read-only root", name).isTrue();
    }
  }
}
