package io.mcpaudit.agent.emit;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.config.AbstractConfig;

/**
 * Finds out, on a daemon thread of its own, when Kafka (describeCluster) and the schema registry
 * (registering the event schema) answer again, so that the agent's event thread never waits on a
 * dead broker. It checks every retry interval while something waits for Kafka, and at once when
 * asked to ({@link #awaitReachable}, the shutdown drain).
 */
final class RecoveryProbe implements AutoCloseable {
  private static final int CHECK_TIMEOUT_MS = 3_000;

  private final Map<String, Object> adminConfig;
  private final SchemaRegistryClient registry;
  private final String subject;
  private final Duration every;
  private final Consumer<String> status;
  private final Thread thread;
  private final Object rounds = new Object();

  private volatile boolean reachable;
  private volatile String downReason;
  private volatile boolean closed;
  // Guarded by rounds.
  private boolean waiting;
  private boolean requested;
  private boolean checking;
  private boolean stopped;
  private long checks;

  /**
   * @param producerSettings the settings the emitter's producer was given ({@code kafka.producer.*})
   * @param subject the registry subject the event schema is registered under
   */
  RecoveryProbe(String bootstrap, String clientId, Map<String, Object> producerSettings, SchemaRegistryClient registry,
                String subject, Duration every, Consumer<String> status) {
    this.adminConfig = adminConfig(bootstrap, clientId, producerSettings);
    this.registry = registry;
    this.subject = subject;
    this.every = every;
    this.status = status;
    this.thread = new Thread(this::run, "mcp-audit-kafka-probe");
    this.thread.setDaemon(true);
  }

  /**
   * The admin client's settings: every client setting the producer was given that an admin client
   * knows (security, SASL, TLS, DNS, socket and reconnect settings …) and the config providers that
   * resolve placeholders such as {@code ${file:…}} in them. Producer-only settings (acks, linger,
   * batching, interceptors) do not apply to an admin client and are left out.
   */
  static Map<String, Object> adminConfig(String bootstrap, String clientId, Map<String, Object> producerSettings) {
    Map<String, Object> config = new HashMap<>();
    producerSettings.forEach((key, value) -> {
      if (AdminClientConfig.configNames().contains(key) || key.startsWith(AbstractConfig.CONFIG_PROVIDERS_CONFIG + ".")) {
        config.put(key, value);
      }
    });
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-probe");
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, CHECK_TIMEOUT_MS);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, CHECK_TIMEOUT_MS);
    return config;
  }

  RecoveryProbe start() {
    thread.start();
    return this;
  }

  /** Whether the last check found Kafka and the registry answering and nothing failed since. */
  boolean isReachable() {
    return reachable;
  }

  /** Why Kafka counts as unreachable (the last failure seen). */
  String downReason() {
    return downReason;
  }

  /** Delivery failed: Kafka counts as unreachable until a check finds it answering again. */
  void down(String reason) {
    reachable = false;
    downReason = reason;
  }

  /** Whether anything waits for Kafka (spooled events); the probe checks only then, or when asked. */
  void waiting(boolean waiting) {
    synchronized (rounds) {
      if (waiting && !this.waiting) {
        rounds.notifyAll();
      }
      this.waiting = waiting;
    }
  }

  /**
   * Checks now (unless Kafka is already known to answer) and waits for the answer, at most until the
   * deadline; a check under way when this is called does not count, as it may have started before the
   * broker came back.
   *
   * @return whether Kafka and the registry answer
   */
  boolean awaitReachable(Deadline deadline) throws InterruptedException {
    synchronized (rounds) {
      long wanted = checks + (checking ? 2 : 1);
      requested = true;
      rounds.notifyAll();
      while (!reachable && checks < wanted && !stopped && !deadline.passed()) {
        rounds.wait(Math.max(1, deadline.remaining().toMillis()));
      }
      return reachable;
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }

  private void run() {
    Admin admin = null;
    try {
      admin = Admin.create(adminConfig);
      while (!closed) {
        boolean due;
        synchronized (rounds) {
          due = (waiting || requested) && !reachable;
          requested = false;
          checking = due;
        }
        if (due) {
          check(admin);
          synchronized (rounds) {
            checking = false;
            checks++;
            rounds.notifyAll();
          }
        }
        synchronized (rounds) {
          if (!requested && !closed) {
            rounds.wait(every.toMillis());
          }
        }
      }
    } catch (InterruptedException e) {
      // closed
    } catch (RuntimeException e) {
      status.accept("mcp-audit agent: the Kafka recovery probe stopped (" + e.getMessage() + ")");
    } finally {
      if (admin != null) {
        admin.close(Duration.ZERO);
      }
      synchronized (rounds) {
        stopped = true;
        rounds.notifyAll();
      }
    }
  }

  private void check(Admin admin) throws InterruptedException {
    try {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs(CHECK_TIMEOUT_MS)).nodes()
          .get(CHECK_TIMEOUT_MS + 1_000L, TimeUnit.MILLISECONDS);
      registry.register(subject, AuditEvent.getClassSchema());
      reachable = true;
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      downReason = KafkaEmitter.describe(e);
    }
  }
}
