package io.mcpaudit.agent.capture;

/** A capture line that was skipped, and why; numbers start at 1. */
public record CaptureProblem(long lineNumber, String reason) {
  @Override
  public String toString() {
    return "line " + lineNumber + ": " + reason;
  }
}
