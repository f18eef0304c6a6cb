package io.mcpaudit.router.alert;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.InventoryEntry;
import java.util.Optional;

/** An alert on its way to destinations, with the inventory entry of its server when the inventory lists it. */
public record RoutedAlert(Alert alert, Optional<InventoryEntry> server, Origin origin) {
  public String dedupKey() {
    return alert.getDedupKey();
  }

  /** {@code [HIGH] token-reuse: <title>}: how the alert reads in one line. */
  public String headline() {
    return "[" + alert.getSeverity() + "] " + alert.getCategory() + ": " + alert.getTitle();
  }
}
