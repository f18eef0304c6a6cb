package io.mcpaudit.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads the deployment files the tests check: compose, Kubernetes manifests, Helm values, sources they refer to. */
final class DeployFiles {
  static final YAMLMapper YAML = new YAMLMapper();
  static final Path ROOT = findRoot();
  static final Path DEPLOY = ROOT.resolve("deploy");
  static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
  static final Path COMPOSE_FILE = DEPLOY.resolve("docker-compose.yml");
  static final Path DOCKERFILE = DEPLOY.resolve("docker/Dockerfile");
  static final Path DEPLOYMENT_DOC = ROOT.resolve("docs/deployment.md");

  /** The workload kinds whose pods the tests inspect. */
  static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet", "Job");

  private DeployFiles() {}

  private static Path findRoot() {
    String configured = System.getProperty("mcpaudit.repo.root");
    if (configured != null && Files.isDirectory(Path.of(configured, "deploy", "kubernetes"))) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("deploy/kubernetes"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find the repository root (a folder with pom.xml and deploy/kubernetes)"
        + " from " + Path.of("").toAbsolutePath() + "; set -Dmcpaudit.repo.root");
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Every YAML document of a file or text (a stream separated by ---), empty documents left out. */
  static List<JsonNode> documents(String yaml) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNextValue()) {
        JsonNode doc = it.nextValue();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }

  static List<JsonNode> documents(Path file) {
    return documents(read(file));
  }

  static JsonNode single(Path file) {
    List<JsonNode> docs = documents(file);
    if (docs.size() != 1) {
      throw new IllegalStateException(file + " holds " + docs.size() + " YAML documents, expected one");
    }
    return docs.get(0);
  }

  /** YAML files under a folder, build output left out. */
  static List<Path> yamlFilesUnder(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
          .filter(p -> !dir.relativize(p).toString().contains("target"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- docker compose ----

  static JsonNode compose() {
    return single(COMPOSE_FILE);
  }

  static Map<String, JsonNode> composeServices() {
    return fields(compose().path("services"));
  }

  /** A long-running service: restarted by Docker; one-shot jobs say {@code restart: "no"}. */
  static boolean longRunning(JsonNode service) {
    return !"no".equals(service.path("restart").asText("always"));
  }

  // ---- Kubernetes ----

  /** One object of a manifest file. */
  record K8sObject(Path file, JsonNode node) {
    String kind() {
      return node.path("kind").asText();
    }

    String name() {
      return node.path("metadata").path("name").asText();
    }

    JsonNode spec() {
      return node.path("spec");
    }

    @Override
    public String toString() {
      return kind() + " " + name() + " (" + ROOT.relativize(file) + ")";
    }
  }

  static JsonNode kustomization() {
    return single(KUBERNETES.resolve("kustomization.yaml"));
  }

  /** The manifest files the kustomization applies, in its order. */
  static List<Path> kustomizationResources() {
    List<Path> files = new ArrayList<>();
    kustomization().path("resources").forEach(r -> files.add(KUBERNETES.resolve(r.asText()).normalize()));
    return files;
  }

  static List<K8sObject> objects() {
    List<K8sObject> all = new ArrayList<>();
    for (Path file : kustomizationResources()) {
      for (JsonNode doc : documents(file)) {
        all.add(new K8sObject(file, doc));
      }
    }
    return all;
  }

  static List<K8sObject> objects(String kind) {
    return objects().stream().filter(o -> o.kind().equals(kind)).toList();
  }

  static K8sObject object(String kind, String name) {
    return objects(kind).stream().filter(o -> o.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in deploy/kubernetes"));
  }

  static List<K8sObject> workloads() {
    return objects().stream().filter(o -> WORKLOAD_KINDS.contains(o.kind())).toList();
  }

  static JsonNode podSpec(K8sObject workload) {
    return workload.spec().path("template").path("spec");
  }

  static Map<String, String> podLabels(K8sObject workload) {
    Map<String, String> labels = new LinkedHashMap<>();
    fields(workload.spec().path("template").path("metadata").path("labels"))
        .forEach((k, v) -> labels.put(k, v.asText()));
    return labels;
  }

  static List<JsonNode> containers(K8sObject workload) {
    List<JsonNode> list = new ArrayList<>();
    podSpec(workload).path("containers").forEach(list::add);
    return list;
  }

  static List<JsonNode> initContainers(K8sObject workload) {
    List<JsonNode> list = new ArrayList<>();
    podSpec(workload).path("initContainers").forEach(list::add);
    return list;
  }

  static List<JsonNode> allContainers(K8sObject workload) {
    List<JsonNode> list = new ArrayList<>(initContainers(workload));
    list.addAll(containers(workload));
    return list;
  }

  static JsonNode container(K8sObject workload, String name) {
    return containers(workload).stream().filter(c -> c.path("name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(workload + " has no container " + name));
  }

  /** A container's plain environment values (valueFrom entries give a placeholder). */
  static Map<String, String> env(JsonNode container) {
    Map<String, String> env = new LinkedHashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(),
        e.has("value") ? e.path("value").asText() : "value-from-" + e.path("name").asText()));
    return env;
  }

  /** The volume a container mounts at a path, or a missing node. */
  static JsonNode volumeMountedAt(K8sObject workload, JsonNode container, String mountPath) {
    for (JsonNode mount : container.path("volumeMounts")) {
      if (mount.path("mountPath").asText().equals(mountPath)) {
        for (JsonNode volume : podSpec(workload).path("volumes")) {
          if (volume.path("name").asText().equals(mount.path("name").asText())) {
            return volume;
          }
        }
      }
    }
    return MissingNode.getInstance();
  }

  /** True when a label selector's matchLabels are all among the labels. */
  static boolean selects(JsonNode selector, Map<String, String> labels) {
    Map<String, JsonNode> match = fields(selector.path("matchLabels"));
    return match.entrySet().stream().allMatch(e -> e.getValue().asText().equals(labels.get(e.getKey())));
  }

  /** An image reference with the kustomization's images: overrides applied. */
  static String kustomizedImage(String image) {
    for (JsonNode override : kustomization().path("images")) {
      String name = override.path("name").asText();
      if (image.equals(name) || image.startsWith(name + ":")) {
        String newName = override.path("newName").asText(name);
        String tag = override.has("newTag") ? override.path("newTag").asText()
            : image.contains(":") ? image.substring(image.indexOf(':') + 1) : "";
        return tag.isEmpty() ? newName : newName + ":" + tag;
      }
    }
    return image;
  }

  // ---- Helm values ----

  static JsonNode openSearchValues() {
    return single(KUBERNETES.resolve("opensearch/opensearch-values.yaml"));
  }

  static JsonNode dashboardsValues() {
    return single(KUBERNETES.resolve("opensearch/opensearch-dashboards-values.yaml"));
  }

  // ---- sources the deployment must agree with ----

  private static final Pattern TOPIC = Pattern.compile("new Topic<>\\(\\s*\"([^\"]+)\"");

  /** The topic names of io.mcpaudit.schema.topic.Topics, read from its source. */
  static Set<String> registryTopics() {
    Path source = ROOT.resolve("schemas/src/main/java/io/mcpaudit/schema/topic/Topics.java");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = TOPIC.matcher(read(source));
    while (m.find()) {
      names.add(m.group(1));
    }
    if (names.isEmpty()) {
      throw new IllegalStateException("no topic found in " + source + "; has the way topics are declared changed?");
    }
    return names;
  }

  /** The default of a picocli option in a source file: {@code names = "--x", defaultValue = "..."}. */
  static String optionDefault(Path source, String option) {
    Matcher m = Pattern.compile("names\\s*=\\s*\"" + Pattern.quote(option) + "\"\\s*,\\s*defaultValue\\s*=\\s*\"([^\"]+)\"")
        .matcher(read(source));
    if (!m.find()) {
      throw new IllegalStateException("no default for " + option + " in " + source);
    }
    return m.group(1);
  }

  /** A property of the parent pom ({@code <name>value</name>} inside {@code <properties>}). */
  static String pomProperty(String name) {
    String pom = read(ROOT.resolve("pom.xml"));
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">").matcher(pom);
    if (!m.find()) {
      throw new IllegalStateException("no property " + name + " in the parent pom");
    }
    return m.group(1).trim();
  }

  /** The project version: the parent pom's own version. */
  static String projectVersion() {
    String pom = read(ROOT.resolve("pom.xml"));
    Matcher m = Pattern.compile("<artifactId>mcp-audit-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    if (!m.find()) {
      throw new IllegalStateException("no version of mcp-audit-parent in the parent pom");
    }
    return m.group(1).trim();
  }

  static Map<String, JsonNode> fields(JsonNode node) {
    Map<String, JsonNode> map = new LinkedHashMap<>();
    node.properties().forEach(e -> map.put(e.getKey(), e.getValue()));
    return map;
  }

  static List<String> texts(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }
}
