package io.mcpaudit.streams.detect;

import io.mcpaudit.event.Alert;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Runs every {@link StatelessCheck} on each event; alerts are keyed by dedup key. */
public final class StatelessChecksProcessor implements Processor<String, Detected, String, Alert> {
  private final List<StatelessCheck> checks;
  private ProcessorContext<String, Alert> context;
  private DetectionContext detection;

  public StatelessChecksProcessor(List<StatelessCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  @Override
  public void init(ProcessorContext<String, Alert> context) {
    this.context = context;
    this.detection = InventoryLookup.from(context);
  }

  @Override
  public void process(Record<String, Detected> record) {
    if (record.value() == null || !record.value().hasEvent()) {
      return;
    }
    for (StatelessCheck check : checks) {
      for (Alert alert : check.check(record.value(), detection)) {
        context.forward(new Record<>(alert.getDedupKey(), alert, alert.getLastSeen().toEpochMilli()));
      }
    }
  }
}
