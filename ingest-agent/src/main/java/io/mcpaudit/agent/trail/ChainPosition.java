package io.mcpaudit.agent.trail;

import io.mcpaudit.schema.chain.EventHashChain;

/**
 * Where an agent's hash chain stands: the last sequence number used and that event's hash.
 *
 * @param lastSequence 0 before the first event
 * @param lastHash     the hash the next event links to ({@link EventHashChain#GENESIS} at the start)
 */
public record ChainPosition(long lastSequence, String lastHash) {
  public static final ChainPosition START = new ChainPosition(0, EventHashChain.GENESIS);
}
