package io.mcpaudit.router.kafka;

import io.mcpaudit.event.Alert;
import io.mcpaudit.router.alert.Origin;
import io.mcpaudit.router.alert.RoutedAlert;
import io.mcpaudit.router.config.KafkaSection;
import io.mcpaudit.router.config.RoutingConfig;
import io.mcpaudit.router.delivery.Delivery;
import io.mcpaudit.router.delivery.HttpDelivery;
import io.mcpaudit.router.delivery.Pause;
import io.mcpaudit.router.destination.Destination;
import io.mcpaudit.router.destination.Destinations;
import io.mcpaudit.router.guard.DestinationGuard;
import io.mcpaudit.router.routing.AlertRouter;
import io.mcpaudit.router.routing.RouterStoppingException;
import io.mcpaudit.router.routing.RoutingOutcome;
import io.mcpaudit.schema.registry.RegistryUnreachableException;
import io.mcpaudit.schema.registry.SchemaRegistry;
import io.mcpaudit.schema.serde.AvroDeserializer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert router on Kafka: consumes the alerts topic in its own consumer group, routes each
 * alert, and commits an offset only when every page for it has been recorded in the state topic
 * (and, for held storm alerts, when their grouped page went out). Dedup state and the server
 * inventory are read back from their topics at start and when partitions are assigned.
 *
 * <p>At most one page per destination and dedup key per window, even across restarts: a
 * "pending" record is written before each request. A router killed mid-request leaves it behind;
 * the next run finds it, does not page again, and dead-letters the alert with the reason, so an
 * operator can check the destination.
 */
public final class KafkaAlertRouter implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaAlertRouter.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration PRUNE_EVERY = Duration.ofMinutes(10);
  /** How long to wait before reading again alerts that could not be read for want of the schema registry. */
  private static final Duration REGISTRY_RETRY_PAUSE = Duration.ofSeconds(2);

  private final RoutingConfig config;
  private final KafkaSection kafka;
  private final Clock clock;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaLedger ledger;
  private final InventoryView inventory;
  private final KafkaDeadLetters deadLetters;
  private final AvroDeserializer<Alert> alerts;
  private final AlertRouter router;
  private final String bootstrapServers;
  private final Map<String, Object> clientProps;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CountDownLatch started = new CountDownLatch(1);
  private final Map<TopicPartition, OffsetAndMetadata> processed = new HashMap<>();
  private final Map<RoutingOutcome.Kind, Long> counts = new EnumMap<>(RoutingOutcome.Kind.class);
  private boolean delivering;
  private boolean inRebalanceCallback;
  /** Whether the last alert could not be read because the schema registry is away (logged once per outage). */
  private boolean registryAway;

  public KafkaAlertRouter(RoutingConfig config, String bootstrapServers, SchemaRegistry registry) {
    this(config, bootstrapServers, registry, DestinationGuard.HostResolver.system(), Clock.systemUTC());
  }

  public KafkaAlertRouter(RoutingConfig config, String bootstrapServers, SchemaRegistry registry,
                          DestinationGuard.HostResolver resolver, Clock clock) {
    this.config = config;
    this.kafka = config.kafka();
    this.clock = clock;
    this.bootstrapServers = bootstrapServers;
    this.clientProps = kafka.clientProperties();
    DestinationGuard guard = new DestinationGuard(config.allowInsecureDestinations(), resolver);
    Map<String, Destination> destinations = Destinations.create(config);
    Map<String, io.mcpaudit.router.config.Endpoint> endpoints = new LinkedHashMap<>();
    destinations.forEach((name, d) -> endpoints.put(name, d.endpoint()));
    guard.verifyAtStart(endpoints).forEach(LOG::warn);

    Properties props = new Properties();
    props.putAll(clientProps);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.groupId());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, kafka.startFrom().name().toLowerCase(Locale.ROOT));
    props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.ledger = new KafkaLedger(bootstrapServers, clientProps, kafka.stateTopic(), config.noise().dedupWindow());
    this.inventory = new InventoryView(bootstrapServers, clientProps, kafka.inventoryTopic(), registry);
    this.deadLetters = new KafkaDeadLetters(bootstrapServers, clientProps, kafka.dlqTopic());
    this.alerts = new AvroDeserializer<>(registry, Alert.class);
    HttpDelivery http = new HttpDelivery(config.delivery(), guard, clock, this::pauseKeepingMembership,
        RandomGenerator.getDefault());
    Delivery tracked = (destination, page) -> {
      delivering = true;
      try {
        return http.deliver(destination, page);
      } finally {
        delivering = false;
      }
    };
    this.router = new AlertRouter(config, destinations, tracked, ledger, deadLetters);
  }

  /** Waits until the router has read its state and inventory and joined its group. */
  public boolean awaitStarted(Duration timeout) throws InterruptedException {
    return started.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** How many outcomes of each kind so far. */
  public synchronized long count(RoutingOutcome.Kind kind) {
    return counts.getOrDefault(kind, 0L);
  }

  /** Records written to the dead-letter topic so far. */
  public long deadLettered() {
    return deadLetters.written();
  }

  @Override
  public void run() {
    try {
      RouterTopics.ensure(bootstrapServers, clientProps, kafka.stateTopic(), kafka.dlqTopic());
      ledger.catchUp();
      int pruned = ledger.prune(clock.instant());
      inventory.catchUp(Duration.ofSeconds(30));
      LOG.info("alert router: {} routes to {} destinations; {} delivery records from {} ({} expired and removed);"
              + " consuming {} as group {}", config.routes().size(), config.destinations().size(), ledger.size(),
          kafka.stateTopic(), pruned, kafka.alertsTopic(), kafka.groupId());
      consumer.subscribe(List.of(kafka.alertsTopic()), new Rebalance());
      Instant lastPrune = clock.instant();
      while (running.get()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        if (started.getCount() > 0 && !consumer.assignment().isEmpty()) {
          started.countDown();
        }
        inventory.refresh();
        flushDue();
        // Where to read again, per partition, once an alert could not be read for want of the registry.
        Map<TopicPartition, Long> readAgain = null;
        for (ConsumerRecord<byte[], byte[]> record : records) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          if (!running.get()) {
            break; // the rest of the batch stays uncommitted and is read again by the next run
          }
          if (!consumer.assignment().contains(partition)) {
            continue; // moved to another instance while this batch was being routed
          }
          if (readAgain != null) {
            readAgain.putIfAbsent(partition, record.offset());
            continue;
          }
          flushDue();
          if (!handle(record)) {
            readAgain = new HashMap<>(Map.of(partition, record.offset()));
            continue;
          }
          processed.put(partition, new OffsetAndMetadata(record.offset() + 1));
        }
        if (readAgain != null) {
          readAgain.forEach(consumer::seek);
          pauseKeepingMembership(REGISTRY_RETRY_PAUSE);
        }
        commitIfSettled();
        if (Duration.between(lastPrune, clock.instant()).compareTo(PRUNE_EVERY) > 0) {
          lastPrune = clock.instant();
          ledger.prune(lastPrune);
        }
      }
      settle(router.flushAll(clock.instant()));
      commitIfSettled();
    } catch (RouterStoppingException e) {
      LOG.info("alert router stopping: {}", e.getMessage());
      commitIfSettled();
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
      commitIfSettled();
    } finally {
      started.countDown();
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
      ledger.close();
      inventory.close();
      deadLetters.close();
    }
  }

  /**
   * Routes one alert; false if it cannot be read now because the schema registry is away (it is
   * not the alert's fault: it is read again, never dead-lettered for that).
   */
  private boolean handle(ConsumerRecord<byte[], byte[]> record) {
    String source = record.topic() + "/" + record.partition() + "@" + record.offset();
    Origin origin = new Origin(source, record.key(), record.value());
    Alert alert;
    try {
      alert = alerts.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      if (RegistryUnreachableException.isCauseOf(e)) {
        if (!registryAway) {
          registryAway = true;
          LOG.warn("alert {} cannot be read now: {}; reading it again until the registry answers", source,
              e.getMessage());
        }
        return false;
      }
      deadLetters.write(origin, "deserialize", "alert cannot be read: " + e.getMessage());
      return true;
    }
    if (registryAway) {
      registryAway = false;
      LOG.info("schema registry answers again; routing from {}", source);
    }
    if (alert != null) {
      settle(router.route(new RoutedAlert(alert, inventory.find(alert.getServerName()), origin), clock.instant()));
    }
    return true;
  }

  private void flushDue() {
    List<RoutingOutcome> flushed = router.flushDue(clock.instant());
    if (!flushed.isEmpty()) {
      settle(flushed);
      commitIfSettled();
    }
  }

  private synchronized void settle(List<RoutingOutcome> outcomes) {
    for (RoutingOutcome o : outcomes) {
      counts.merge(o.kind(), 1L, Long::sum);
      String line = config.redact(o.describe());
      if (o.kind() == RoutingOutcome.Kind.FAILED || o.kind() == RoutingOutcome.Kind.UNKNOWN) {
        LOG.warn("{} [{}]", line, o.source());
      } else {
        LOG.info("{} [{}]", line, o.source());
      }
    }
  }

  /** Commits what has been routed, unless alerts are held for a storm page not yet sent. */
  private void commitIfSettled() {
    if (processed.isEmpty() || router.hasOpenGroups()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(processed);
    offsets.keySet().retainAll(consumer.assignment());
    if (!offsets.isEmpty()) {
      consumer.commitSync(offsets);
    }
    processed.clear();
  }

  /**
   * Waits between delivery attempts while keeping the consumer in its group: polls with every
   * partition paused, so nothing new is fetched. Inside a rebalance callback it just sleeps.
   */
  private boolean pauseKeepingMembership(Duration wait) {
    if (inRebalanceCallback) {
      return running.get() && Pause.sleeping().pause(wait);
    }
    Collection<TopicPartition> assigned = consumer.assignment();
    consumer.pause(assigned);
    try {
      long until = System.nanoTime() + wait.toNanos();
      while (System.nanoTime() < until) {
        if (!running.get()) {
          return false;
        }
        long left = Math.max(1, (until - System.nanoTime()) / 1_000_000);
        consumer.poll(Duration.ofMillis(Math.min(200, left)));
      }
      return running.get();
    } catch (WakeupException e) {
      return false;
    } finally {
      consumer.resume(consumer.paused());
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      if (delivering) {
        // Mid-request for one of them: leave its offset uncommitted; the new owner sees the ledger entry.
        LOG.warn("partitions {} revoked while a page was being delivered; their offsets stay uncommitted",
            partitions);
        processed.keySet().removeAll(partitions);
        return;
      }
      inRebalanceCallback = true;
      try {
        settle(router.flushAll(clock.instant()));
        commitIfSettled();
      } catch (RouterStoppingException e) {
        LOG.info("storm pages not sent before partitions moved: {}", e.getMessage());
      } finally {
        inRebalanceCallback = false;
        processed.keySet().removeAll(partitions);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      processed.keySet().removeAll(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        ledger.catchUp(); // another instance may have paged for these partitions' dedup keys
      }
    }
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
  }
}
