package io.mcpaudit.streams.app;

import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import io.mcpaudit.schema.topic.Topics;
import io.mcpaudit.streams.deadletter.DeadLetterDeserializationHandler;
import io.mcpaudit.streams.deadletter.DeadLetterProcessingHandler;
import io.mcpaudit.streams.deadletter.DeadLetterProductionHandler;
import io.mcpaudit.streams.deadletter.DeadLetters;
import io.mcpaudit.streams.detect.chain.ToolRisk;
import io.mcpaudit.streams.rules.RuleStage;
import io.mcpaudit.streams.topology.DetectionTopology;
import io.mcpaudit.streams.topology.DetectorCatalog;
import io.mcpaudit.streams.topology.PipelineConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running detection pipeline: the topology on Kafka Streams with exactly-once processing,
 * dead-letter handlers for every kind of bad record, and the topics it needs. Wiring only; the
 * topology itself is {@link DetectionTopology}.
 */
public final class DetectionPipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DetectionPipeline.class);

  private final KafkaStreams streams;
  private final AtomicReference<String> lastThreadFailure;

  private DetectionPipeline(KafkaStreams streams, AtomicReference<String> lastThreadFailure) {
    this.streams = streams;
    this.lastThreadFailure = lastThreadFailure;
  }

  public static DetectionPipeline start(PipelineSettings settings, RuleStage rules, DetectorCatalog detectors,
                                        ToolRisk toolRisk, Function<String, Duration> dedupWindowForRule) {
    int partitions = TopicSetup.ensure(settings.bootstrapServers(), settings.extraStreamsConfig(),
        settings.partitions(), settings.replicationFactor());
    SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryConfig.fromProperties(
        java.util.Map.of(SchemaRegistryConfig.URL, URI.create(settings.schemaRegistryUrl()).toString())));
    PipelineConfig config = new PipelineConfig(PipelineConfig.defaults().traceMaxSteps(),
        PipelineConfig.defaults().traceFlush(), partitions);
    Topology topology = DetectionTopology.build(new DetectionTopology.Inputs(config, registry, rules, detectors,
        toolRisk, dedupWindowForRule));
    KafkaStreams streams = new KafkaStreams(topology, streamsConfig(settings));
    AtomicReference<String> lastThreadFailure = new AtomicReference<>();
    streams.setUncaughtExceptionHandler(e -> {
      lastThreadFailure.set(rootMessage(e));
      LOG.error("stream thread failed; replacing it (state is restored from changelogs): {}", e.toString(), e);
      return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    streams.start();
    return new DetectionPipeline(streams, lastThreadFailure);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }

  static Properties streamsConfig(PipelineSettings settings) {
    Properties props = new Properties();
    props.putAll(settings.extraStreamsConfig());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.streamThreads());
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) settings.replicationFactor());
    props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString());
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
    props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
    props.put(DeadLetters.TOPIC_CONFIG, Topics.DLQ.name());
    return props;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** True once Kafka Streams is shutting down or has stopped for good (it will not reach RUNNING again). */
  public boolean finished() {
    KafkaStreams.State state = streams.state();
    return state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING
        || state == KafkaStreams.State.PENDING_ERROR || state == KafkaStreams.State.PENDING_SHUTDOWN;
  }

  /** Why a stream thread last failed (each failed thread is replaced), if one has. */
  public Optional<String> lastThreadFailure() {
    return Optional.ofNullable(lastThreadFailure.get());
  }

  /** Waits until the pipeline is processing (all tasks assigned and restored), or the timeout passes. */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (streams.state() == KafkaStreams.State.RUNNING) {
        return true;
      }
      if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
        return false;
      }
      Thread.sleep(100);
    }
    return false;
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
  }
}
