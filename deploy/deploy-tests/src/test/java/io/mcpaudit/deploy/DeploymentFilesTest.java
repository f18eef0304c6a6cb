package io.mcpaudit.deploy;

import static io.mcpaudit.deploy.DeployFiles.DEPLOY;
import static io.mcpaudit.deploy.DeployFiles.KUBERNETES;
import static io.mcpaudit.deploy.DeployFiles.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpaudit.deploy.DeployFiles.K8sObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every deployment file parses, and kustomize applies every manifest of deploy/kubernetes. */
class DeploymentFilesTest {

  @Test
  void everyYamlFileUnderDeployParses() {
    List<Path> files = DeployFiles.yamlFilesUnder(DEPLOY).stream()
        .filter(p -> !DEPLOY.relativize(p).startsWith("local-stack"))
        .toList();
    assertThat(files).contains(DeployFiles.COMPOSE_FILE, KUBERNETES.resolve("kustomization.yaml"));
    for (Path file : files) {
      assertThatCode(() -> assertThat(DeployFiles.documents(file)).as("%s has no YAML document", file).isNotEmpty())
          .as("%s must parse as YAML", ROOT.relativize(file))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void yamlCarriedInsideConfigMapsParses() {
    int checked = 0;
    for (K8sObject configMap : DeployFiles.objects("ConfigMap")) {
      for (var entry : DeployFiles.fields(configMap.node().path("data")).entrySet()) {
        if (entry.getKey().endsWith(".yml") || entry.getKey().endsWith(".yaml")) {
          String yaml = entry.getValue().asText();
          assertThatCode(() -> assertThat(DeployFiles.documents(yaml)).isNotEmpty())
              .as("%s key %s must be YAML", configMap, entry.getKey())
              .doesNotThrowAnyException();
          checked++;
        }
      }
    }
    assertThat(checked).as("YAML files carried by ConfigMaps").isGreaterThanOrEqualTo(4);
  }

  @Test
  void everyKubernetesObjectHasAnApiVersionAKindAndAName() {
    List<K8sObject> objects = DeployFiles.objects();
    assertThat(objects).isNotEmpty();
    for (K8sObject o : objects) {
      assertThat(o.node().path("apiVersion").asText()).as("apiVersion of %s", o).isNotBlank();
      assertThat(o.kind()).as("kind in %s", o.file()).isNotBlank();
      assertThat(o.name()).as("metadata.name of a %s in %s", o.kind(), o.file()).isNotBlank();
    }
  }

  @Test
  void noTwoObjectsShareAKindAndName() {
    Set<String> seen = new HashSet<>();
    for (K8sObject o : DeployFiles.objects()) {
      assertThat(seen.add(o.kind() + "/" + o.name())).as("%s is defined twice", o).isTrue();
    }
  }

  /** kubectl apply -k applies only what kustomization.yaml lists: a manifest left out is silently never applied. */
  @Test
  void theKustomizationListsEveryManifestInTheFolderAndNothingElse() throws IOException {
    List<Path> listed = DeployFiles.kustomizationResources();
    for (Path file : listed) {
      assertThat(file).as("kustomization.yaml lists a file that does not exist").isRegularFile();
      assertThat(file.startsWith(KUBERNETES)).as("%s lies outside deploy/kubernetes (kustomize refuses it)", file)
          .isTrue();
    }
    assertThat(new HashSet<>(listed)).as("a file listed twice").hasSameSizeAs(listed);

    List<Path> manifests = new ArrayList<>();
    for (Path file : DeployFiles.yamlFilesUnder(KUBERNETES)) {
      if (file.getFileName().toString().equals("kustomization.yaml")) {
        continue;
      }
      List<JsonNode> docs = DeployFiles.documents(file);
      if (!docs.isEmpty() && docs.stream().allMatch(d -> d.has("apiVersion") && d.has("kind"))) {
        manifests.add(file);
      }
    }
    assertThat(listed).as("manifests under deploy/kubernetes that kubectl apply -k would skip")
        .containsExactlyInAnyOrderElementsOf(manifests);

    // Everything else in the folder is used: generator inputs and the documented Helm values files.
    Set<Path> generatorInputs = new HashSet<>();
    for (JsonNode generator : DeployFiles.kustomization().path("secretGenerator")) {
      for (JsonNode f : generator.path("files")) {
        String spec = f.asText();
        generatorInputs.add(KUBERNETES.resolve(spec.substring(spec.indexOf('=') + 1)).normalize());
      }
    }
    String doc = DeployFiles.read(DeployFiles.DEPLOYMENT_DOC);
    try (Stream<Path> all = Files.walk(KUBERNETES)) {
      for (Path file : all.filter(Files::isRegularFile).toList()) {
        if (listed.contains(file) || generatorInputs.contains(file)
            || file.getFileName().toString().equals("kustomization.yaml")) {
          continue;
        }
        assertThat(doc).as("%s is neither applied by kustomize, a generator input, nor documented in"
            + " docs/deployment.md", ROOT.relativize(file)).contains(ROOT.relativize(file).toString());
      }
    }
    for (Path input : generatorInputs) {
      assertThat(input).as("secretGenerator input").isRegularFile();
    }
  }

  @Test
  void everyObjectIsPlacedInTheNamespaceByTheKustomization() {
    assertThat(DeployFiles.kustomization().path("namespace").asText()).isEqualTo("mcp-audit");
    assertThat(DeployFiles.object("Namespace", "mcp-audit")).isNotNull();
    for (K8sObject o : DeployFiles.objects()) {
      JsonNode ns = o.node().path("metadata").path("namespace");
      assertThat(ns.isMissingNode() || ns.asText().equals("mcp-audit"))
          .as("%s names another namespace; kustomize would move it anyway", o).isTrue();
    }
  }
}
