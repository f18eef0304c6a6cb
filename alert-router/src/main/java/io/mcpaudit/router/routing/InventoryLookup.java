package io.mcpaudit.router.routing;

import io.mcpaudit.event.InventoryEntry;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The server inventory as the router sees it: risk tier and owner by server name. */
@FunctionalInterface
public interface InventoryLookup {
  Optional<InventoryEntry> find(String serverName);

  static InventoryLookup empty() {
    return name -> Optional.empty();
  }

  static InventoryLookup of(Collection<InventoryEntry> entries) {
    Map<String, InventoryEntry> byName = entries.stream()
        .collect(Collectors.toUnmodifiableMap(InventoryEntry::getName, Function.identity(), (a, b) -> b));
    return name -> Optional.ofNullable(name == null ? null : byName.get(name));
  }
}
