package io.mcpaudit.agent.trail;

/**
 * Keeps an agent's numbering across its runs, so that an agent restarted with the same id goes on
 * where it stopped instead of repeating sequence numbers the pipeline has already seen (which it
 * would report as replayed events).
 */
public interface SequenceLedger {

  /** Where the chain continues; called once, before the first event. */
  ChainPosition resume();

  /** Called after each event is numbered, in order. */
  void numbered(long sequence);

  /** Called once, after the last event of a run that stops cleanly. */
  void stopped(ChainPosition last);

  /** Numbering from 1 on every run (captures replayed offline, agents that send nowhere). */
  static SequenceLedger fromOne() {
    return new SequenceLedger() {
      @Override
      public ChainPosition resume() {
        return ChainPosition.START;
      }

      @Override
      public void numbered(long sequence) {}

      @Override
      public void stopped(ChainPosition last) {}
    };
  }
}
