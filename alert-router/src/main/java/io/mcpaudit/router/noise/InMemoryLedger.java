package io.mcpaudit.router.noise;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A ledger that lasts as long as the process: for routing a file once, and for tests. */
public final class InMemoryLedger implements DeliveryLedger {
  private final Map<String, LedgerEntry> entries = new HashMap<>();

  @Override
  public Optional<LedgerEntry> find(String destination, String dedupKey) {
    return Optional.ofNullable(entries.get(LedgerEntry.key(destination, dedupKey)));
  }

  @Override
  public void record(LedgerEntry entry) {
    entries.put(entry.key(), entry);
  }

  @Override
  public void forget(String destination, String dedupKey) {
    entries.remove(LedgerEntry.key(destination, dedupKey));
  }
}
