package io.mcpaudit.agent.emit;

import java.time.Duration;
import java.util.Map;

/**
 * Where and how the {@link KafkaEmitter} delivers.
 *
 * @param producerSettings extra producer settings ({@code kafka.producer.*}: TLS, SASL, config providers …);
 *     the delivery guarantees are not overridable
 * @param retryEvery how often an unreachable Kafka is probed ({@code kafka.retry-interval})
 * @param drainTimeout how long stopping may spend delivering what is still buffered or spooled
 *     ({@code kafka.drain-timeout})
 */
public record DeliverySettings(String bootstrap, String topic, Map<String, Object> producerSettings, String clientId,
                               Duration retryEvery, Duration drainTimeout) {

  public DeliverySettings {
    producerSettings = Map.copyOf(producerSettings);
  }
}
