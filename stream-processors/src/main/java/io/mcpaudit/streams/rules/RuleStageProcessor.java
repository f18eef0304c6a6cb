package io.mcpaudit.streams.rules;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.streams.detect.Detected;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Runs the rule pack on each event of a session and passes the event on together with what the
 * rules found, so chain-aware detectors downstream can use the findings as signals. Correlation
 * windows close on STREAM_TIME, so replays are deterministic.
 */
public final class RuleStageProcessor implements Processor<String, AuditEvent, String, Detected> {
  public static final String STORE = "rule-correlation";

  private final RuleStage rules;
  private ProcessorContext<String, Detected> context;
  private KafkaCorrelationStore state;

  public RuleStageProcessor(RuleStage rules) {
    this.rules = rules;
  }

  @Override
  public void init(ProcessorContext<String, Detected> context) {
    this.context = context;
    KeyValueStore<String, byte[]> store = context.getStateStore(STORE);
    this.state = new KafkaCorrelationStore(store);
    context.schedule(Duration.ofSeconds(10), PunctuationType.STREAM_TIME, this::advance);
  }

  @Override
  public void process(Record<String, AuditEvent> record) {
    if (record.value() == null) {
      return;
    }
    List<Alert> found = rules.evaluate(record.value(), state);
    context.forward(record.withValue(new Detected(record.value(), found)));
  }

  private void advance(long streamTimeMillis) {
    // Alerts from closing windows have no event of their own: they travel as findings without one.
    for (Alert alert : rules.advance(Instant.ofEpochMilli(streamTimeMillis), state)) {
      context.forward(new Record<>(alert.getSessionId(), new Detected(null, List.of(alert)), streamTimeMillis));
    }
  }
}
