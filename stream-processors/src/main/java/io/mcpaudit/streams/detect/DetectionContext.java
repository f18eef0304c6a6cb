package io.mcpaudit.streams.detect;

import io.mcpaudit.event.InventoryEntry;
import java.util.Optional;

/** What detectors may consult besides their own state: the approved server inventory. */
public interface DetectionContext {
  Optional<InventoryEntry> inventory(String serverName);

  /** Whether an inventory is configured at all; without one, inventory checks stay quiet. */
  boolean hasInventory();

  /** No inventory: for tests and offline runs without one. */
  static DetectionContext empty() {
    return new DetectionContext() {
      @Override
      public Optional<InventoryEntry> inventory(String serverName) {
        return Optional.empty();
      }

      @Override
      public boolean hasInventory() {
        return false;
      }
    };
  }
}
