package io.mcpaudit.streams.app;

import io.mcpaudit.schema.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates mcp-audit's topics when they are missing, with the settings their use needs: the
 * latest-value topics (traces, inventory, rules) compacted, the DLQ kept long enough to act on.
 * Existing topics are left as they are, so operators may size them differently.
 */
public final class TopicSetup {
  private TopicSetup() {}

  /** Creates missing topics and returns the events topic's partition count. */
  public static int ensure(String bootstrapServers, Map<String, Object> clientConfig, int partitions,
                           short replication) {
    Properties props = new Properties();
    props.putAll(clientConfig);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    try (Admin admin = Admin.create(props)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (NewTopic topic : wanted(partitions, replication)) {
        if (!existing.contains(topic.name())) {
          missing.add(topic);
        }
      }
      for (NewTopic topic : missing) {
        try {
          admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      TopicDescription events = admin.describeTopics(List.of(Topics.EVENTS.name())).allTopicNames()
          .get(30, TimeUnit.SECONDS).get(Topics.EVENTS.name());
      return events.partitions().size();
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within 30 s; is it running?", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create topics on Kafka at " + bootstrapServers + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  static List<NewTopic> wanted(int partitions, short replication) {
    String week = String.valueOf(TimeUnit.DAYS.toMillis(7));
    String month = String.valueOf(TimeUnit.DAYS.toMillis(30));
    return List.of(
        new NewTopic(Topics.EVENTS.name(), partitions, replication).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, week)),
        new NewTopic(Topics.ALERTS.name(), partitions, replication).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, month)),
        new NewTopic(Topics.TRACES.name(), partitions, replication)
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
        new NewTopic(Topics.INVENTORY.name(), 1, replication)
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
        new NewTopic(Topics.RULES.name(), 1, replication)
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
        new NewTopic(Topics.DLQ.name(), 1, replication).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, month)));
  }
}
