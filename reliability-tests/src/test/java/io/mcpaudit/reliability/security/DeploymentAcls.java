package io.mcpaudit.reliability.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs of the Kubernetes deployment ({@code deploy/kubernetes/kafka/users.yaml}, Strimzi
 * {@code KafkaUser} resources) as Kafka ACL bindings, so that the test grants exactly what a
 * deployment grants and a change to that file is tested here too.
 */
final class DeploymentAcls {
  private DeploymentAcls() {}

  /** Bindings per user name, in file order. */
  static Map<String, List<AclBinding>> read(Path usersYaml) throws IOException {
    Map<String, List<AclBinding>> byUser = new LinkedHashMap<>();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    try (MappingIterator<JsonNode> docs = yaml.readerFor(JsonNode.class).readValues(usersYaml.toFile())) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc == null || !"KafkaUser".equals(doc.path("kind").asText())) {
          continue;
        }
        String user = doc.path("metadata").path("name").asText();
        List<AclBinding> bindings = new ArrayList<>();
        for (JsonNode acl : doc.path("spec").path("authorization").path("acls")) {
          JsonNode resource = acl.path("resource");
          ResourcePattern pattern = new ResourcePattern(resourceType(resource.path("type").asText()),
              resource.path("name").asText(), patternType(resource.path("patternType").asText("literal")));
          for (JsonNode operation : acl.path("operations")) {
            bindings.add(allow(pattern, user, operation(operation.asText())));
          }
        }
        byUser.put(user, List.copyOf(bindings));
      }
    }
    return byUser;
  }

  static AclBinding allow(ResourcePattern pattern, String user, AclOperation operation) {
    if (operation == AclOperation.UNKNOWN) {
      throw new IllegalArgumentException("unknown ACL operation for " + user + " on " + pattern);
    }
    return new AclBinding(pattern, new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
  }

  /** Strimzi writes {@code DescribeConfigs} where Kafka's enum says {@code DESCRIBE_CONFIGS}. */
  private static AclOperation operation(String strimzi) {
    return AclOperation.fromString(strimzi.replaceAll("([a-z])([A-Z])", "$1_$2"));
  }

  private static ResourceType resourceType(String strimzi) {
    return switch (strimzi) {
      case "topic" -> ResourceType.TOPIC;
      case "group" -> ResourceType.GROUP;
      case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
      case "cluster" -> ResourceType.CLUSTER;
      default -> throw new IllegalArgumentException("unknown Strimzi ACL resource type " + strimzi);
    };
  }

  private static PatternType patternType(String strimzi) {
    return switch (strimzi) {
      case "literal" -> PatternType.LITERAL;
      case "prefix" -> PatternType.PREFIXED;
      default -> throw new IllegalArgumentException("unknown Strimzi ACL pattern type " + strimzi);
    };
  }
}
