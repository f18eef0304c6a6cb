package io.mcpaudit.schema.serde;

/** Confluent's TopicNameStrategy: the registry subject for a topic's keys or values. */
public final class Subjects {
  private Subjects() {}

  public static String forTopic(String topic, boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }
}
