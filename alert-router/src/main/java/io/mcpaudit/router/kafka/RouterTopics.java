package io.mcpaudit.router.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics the router writes when they are missing: its state topic (compacted) and the
 * dead-letter topic. Existing topics are left as they are. The alerts and inventory topics belong
 * to the pipeline and are not created here.
 */
final class RouterTopics {
  private RouterTopics() {}

  static void ensure(String bootstrapServers, Map<String, Object> clientProps, String stateTopic, String dlqTopic) {
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    try (Admin admin = Admin.create(props)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> wanted = new ArrayList<>();
      if (!existing.contains(stateTopic)) {
        wanted.add(new NewTopic(stateTopic, Optional.of(1), Optional.empty()).configs(Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
      }
      if (!existing.contains(dlqTopic)) {
        wanted.add(new NewTopic(dlqTopic, Optional.of(1), Optional.empty()).configs(Map.of(
            TopicConfig.RETENTION_MS_CONFIG, String.valueOf(TimeUnit.DAYS.toMillis(30)))));
      }
      for (NewTopic topic : wanted) {
        try {
          admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + topic.name() + " on Kafka at "
                + bootstrapServers + ": " + e.getCause().getMessage(), e.getCause());
          }
        }
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within 30 s; is it running?",
          e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot list topics on Kafka at " + bootstrapServers + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }
}
