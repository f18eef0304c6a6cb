package io.mcpaudit.deploy;

import static io.mcpaudit.deploy.DeployFiles.DEPLOYMENT_DOC;
import static io.mcpaudit.deploy.DeployFiles.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.deploy.DeployFiles.K8sObject;
import io.mcpaudit.deploy.KafkaTopicsAndAclsTest.Resource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/deployment.md describes the deployment that exists: its tables are checked against the files. */
class DeploymentGuideTest {
  private static final String GUIDE = DeployFiles.read(DEPLOYMENT_DOC);
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  /** The rows of the first table whose header starts with the given first column. */
  static List<List<String>> table(String firstHeader) {
    List<List<String>> rows = new ArrayList<>();
    boolean inTable = false;
    for (String raw : GUIDE.split("\n")) {
      String line = raw.strip();
      if (!line.startsWith("|")) {
        if (inTable) {
          break;
        }
        continue;
      }
      List<String> cells = new ArrayList<>();
      // Cells are separated by | except an escaped \| (a pipe inside code).
      for (String cell : line.substring(1, line.lastIndexOf('|')).split("(?<!\\\\)\\|", -1)) {
        cells.add(cell.trim().replace("\\|", "|"));
      }
      if (!inTable) {
        inTable = cells.get(0).equals(firstHeader);
      } else if (!cells.get(0).startsWith("---")) {
        rows.add(cells);
      }
    }
    assertThat(rows).as("docs/deployment.md has a table starting with | %s |", firstHeader).isNotEmpty();
    return rows;
  }

  private static List<String> code(String cell) {
    List<String> values = new ArrayList<>();
    Matcher m = CODE.matcher(cell);
    while (m.find()) {
      values.add(m.group(1));
    }
    return values;
  }

  static Set<String> composeServicesInGuide() {
    Set<String> names = new LinkedHashSet<>();
    table("compose service").forEach(row -> names.add(code(row.get(0)).get(0)));
    return names;
  }

  /** Secrets the people deploying create, with their keys (table "Secret | keys | …"). */
  static Map<String, Set<String>> secretsInGuide() {
    Map<String, Set<String>> secrets = new LinkedHashMap<>();
    table("Secret").forEach(row -> secrets.put(code(row.get(0)).get(0), new TreeSet<>(code(row.get(1)))));
    return secrets;
  }

  @Test
  void theAclTableIsExactlyTheKafkaUsersAcls() {
    Map<String, Map<Resource, Set<String>>> documented = new TreeMap<>();
    for (List<String> row : table("user")) {
      List<String> resource = List.of(row.get(1).split("\\s+", 2));
      Resource r = new Resource(resource.get(0), code(row.get(1)).get(0), row.get(2));
      Set<String> ops = new TreeSet<>();
      for (String op : row.get(3).split(",")) {
        ops.add(op.trim());
      }
      documented.computeIfAbsent(code(row.get(0)).get(0), k -> new TreeMap<>()).put(r, ops);
    }
    Map<String, Map<Resource, Set<String>>> actual = new TreeMap<>();
    for (K8sObject user : DeployFiles.objects("KafkaUser")) {
      actual.put(user.name(), KafkaTopicsAndAclsTest.acls(user.name()));
    }
    assertThat(documented).isEqualTo(actual);
  }

  @Test
  void theTopicTableNamesEveryKafkaTopicWithItsPartitionsAndPolicy() {
    Map<String, String> documented = new TreeMap<>();
    for (List<String> row : table("topic")) {
      documented.put(code(row.get(0)).get(0), row.get(1) + " " + row.get(2));
    }
    Map<String, String> actual = new TreeMap<>();
    KafkaTopicsAndAclsTest.kafkaTopics().forEach((name, spec) -> actual.put(name, spec.path("partitions").asInt() + " "
        + (KafkaTopicsAndAclsTest.compacted(name) ? "compacted" : "delete")));
    assertThat(documented).isEqualTo(actual);
  }

  @Test
  void relativeLinksPointAtFilesThatExist() {
    Matcher link = Pattern.compile("\\]\\((?!https?:|#)([^)#]+)(#[^)]*)?\\)").matcher(GUIDE);
    int count = 0;
    while (link.find()) {
      count++;
      Path target = DEPLOYMENT_DOC.getParent().resolve(link.group(1)).normalize();
      assertThat(target).as("link %s in docs/deployment.md", link.group(1)).exists();
    }
    assertThat(count).isGreaterThan(5);
  }

  @Test
  void theGuideCoversWhatOperatorsNeed() {
    assertThat(GUIDE).contains("docker compose -f deploy/docker-compose.yml up -d")
        .contains("kubectl apply -k deploy/kubernetes/")
        .contains("## Least privilege").contains("## Scaling").contains("## TLS").contains("## The token-fingerprint key")
        .contains("## Operations").contains("BACKWARD").contains("mcp.audit.dlq.v1").contains("spool")
        .contains("num.standby.replicas");
    assertThat(ROOT.resolve("docs/deployment.md")).isRegularFile();
  }
}
