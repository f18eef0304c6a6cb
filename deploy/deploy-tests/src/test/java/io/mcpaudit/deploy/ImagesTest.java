package io.mcpaudit.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpaudit.deploy.DeployFiles.K8sObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every image the deployment runs is pinned to an explicit version: a floating tag (none, latest,
 * a bare major) would change what runs on the next pull.
 */
class ImagesTest {
  /** repository[:port]/path:tag[@sha256:digest], the tag starting with MAJOR.MINOR. */
  private static final Pattern PINNED =
      Pattern.compile("^[a-z0-9][a-z0-9._/-]*(:[0-9]+/[a-z0-9._/-]+)?:(\\d+\\.\\d+[A-Za-z0-9_.-]*)(@sha256:[a-f0-9]{64})?$");

  /** Where each image is used, for the failure message. */
  static Map<String, String> allImages() {
    Map<String, String> images = new LinkedHashMap<>();
    DeployFiles.composeServices().forEach((name, service) ->
        images.put("docker-compose.yml service " + name, service.path("image").asText("")));
    for (K8sObject workload : DeployFiles.workloads()) {
      for (JsonNode container : DeployFiles.allContainers(workload)) {
        images.put(workload + " container " + container.path("name").asText(),
            DeployFiles.kustomizedImage(container.path("image").asText("")));
      }
    }
    JsonNode os = DeployFiles.openSearchValues().path("image");
    images.put("opensearch-values.yaml image", os.path("repository").asText() + ":" + os.path("tag").asText());
    JsonNode dashboards = DeployFiles.dashboardsValues().path("image");
    images.put("opensearch-dashboards-values.yaml image",
        dashboards.path("repository").asText() + ":" + dashboards.path("tag").asText());
    Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(DeployFiles.read(DeployFiles.DOCKERFILE));
    while (from.find()) {
      images.put("deploy/docker/Dockerfile FROM", from.group(1));
    }
    return images;
  }

  @Test
  void everyImageIsPinnedToAnExplicitVersion() {
    Map<String, String> images = allImages();
    assertThat(images).hasSizeGreaterThan(10);
    images.forEach((where, image) -> {
      assertThat(image).as("%s has no image", where).isNotBlank();
      assertThat(PINNED.matcher(image).matches())
          .as("%s uses %s: pin it to an explicit version tag (MAJOR.MINOR…), never latest or none", where, image)
          .isTrue();
      assertThat(image).as(where).doesNotContain(":latest");
    });
  }

  @Test
  void theMcpAuditImageCarriesTheProjectVersion() {
    String expected = "mcp-audit:" + DeployFiles.projectVersion();
    Map<String, String> mcpAudit = new LinkedHashMap<>();
    allImages().forEach((where, image) -> {
      if (image.startsWith("mcp-audit:")) {
        mcpAudit.put(where, image);
      }
    });
    assertThat(mcpAudit).as("services and containers running the mcp-audit image").hasSizeGreaterThanOrEqualTo(6);
    mcpAudit.forEach((where, image) -> assertThat(image).as(where).isEqualTo(expected));
  }

  /** Compose runs the servers the integration tests run under Testcontainers (the parent pom's stack.image.*). */
  @Test
  void composeRunsTheServerImagesTheIntegrationTestsUse() {
    Map<String, JsonNode> services = DeployFiles.composeServices();
    assertThat(services.get("kafka").path("image").asText()).isEqualTo(DeployFiles.pomProperty("stack.image.kafka"));
    assertThat(services.get("schema-registry").path("image").asText())
        .isEqualTo(DeployFiles.pomProperty("stack.image.schema-registry"));
    assertThat(services.get("opensearch").path("image").asText())
        .isEqualTo(DeployFiles.pomProperty("stack.image.opensearch"));
  }

  /** OpenSearch Dashboards only talks to an OpenSearch of its own version. */
  @Test
  void dashboardsAndOpenSearchHaveTheSameVersion() {
    Map<String, JsonNode> services = DeployFiles.composeServices();
    assertThat(tag(services.get("dashboards").path("image").asText()))
        .isEqualTo(tag(services.get("opensearch").path("image").asText()));
    assertThat(DeployFiles.dashboardsValues().path("image").path("tag").asText())
        .isEqualTo(DeployFiles.openSearchValues().path("image").path("tag").asText());
  }

  /** The OpenSearch chart would otherwise add init containers running busybox:latest. */
  @Test
  void theOpenSearchChartAddsNoUnpinnedInitContainers() {
    JsonNode values = DeployFiles.openSearchValues();
    boolean chown = values.path("persistence").path("enableInitChown").asBoolean(true);
    assertThat(!chown || PINNED.matcher(values.path("persistence").path("image").asText("busybox") + ":"
        + values.path("persistence").path("imageTag").asText("latest")).matches())
        .as("persistence.enableInitChown runs busybox:latest unless persistence.imageTag pins it").isTrue();
    assertThat(values.path("sysctlInit").path("enabled").asBoolean(false))
        .as("sysctlInit runs a privileged busybox:latest").isFalse();
  }

  private static String tag(String image) {
    return image.substring(image.lastIndexOf(':') + 1);
  }
}
