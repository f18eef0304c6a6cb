package io.mcpaudit.router.noise;

import java.util.Optional;

/**
 * Which pages were sent (or attempted) to which destination for which dedup key, and when. The
 * router writes {@link LedgerEntry.Status#PENDING} before each request, so a ledger that survives
 * restarts (the Kafka one) keeps a router killed mid-delivery from paging twice.
 */
public interface DeliveryLedger {
  Optional<LedgerEntry> find(String destination, String dedupKey);

  /** Stores the entry; durable when this returns. */
  void record(LedgerEntry entry);

  /** Removes an entry whose request is known not to have succeeded, so that a later run pages again. */
  void forget(String destination, String dedupKey);
}
