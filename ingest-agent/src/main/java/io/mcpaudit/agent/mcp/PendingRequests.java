package io.mcpaudit.agent.mcp;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Requests one side of a session sent and the other side has not answered yet, by
 * JSON-RPC id. Bounded: a peer that never answers cannot grow it without limit; the
 * oldest entries are dropped first and counted.
 */
public final class PendingRequests {
  private final int capacity;
  private final LinkedHashMap<String, PendingRequest> byId = new LinkedHashMap<>();
  private long evicted;

  public PendingRequests(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
  }

  public void add(PendingRequest request) {
    byId.put(request.idText(), request);
    if (byId.size() > capacity) {
      Iterator<Map.Entry<String, PendingRequest>> oldest = byId.entrySet().iterator();
      oldest.next();
      oldest.remove();
      evicted++;
    }
  }

  /** The request this id answers, removed; empty if it was never seen (or was evicted). */
  public Optional<PendingRequest> complete(String idText) {
    return Optional.ofNullable(idText == null ? null : byId.remove(idText));
  }

  public Optional<PendingRequest> peek(String idText) {
    return Optional.ofNullable(idText == null ? null : byId.get(idText));
  }

  public int size() {
    return byId.size();
  }

  /** Requests dropped because the map was full. */
  public long evicted() {
    return evicted;
  }

  /** Removes and returns everything still pending (session end). */
  public java.util.List<PendingRequest> drain() {
    java.util.List<PendingRequest> all = new java.util.ArrayList<>(byId.values());
    byId.clear();
    return all;
  }
}
