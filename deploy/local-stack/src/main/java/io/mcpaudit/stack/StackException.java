package io.mcpaudit.stack;

import java.util.List;

/** A problem starting, finding or stopping the local stack, worded for the person who runs it: one line per problem. */
public final class StackException extends Exception {

  public StackException(String message) {
    super(message);
  }

  public StackException(String message, Throwable cause) {
    super(message, cause);
  }

  static StackException of(List<String> problems) {
    return new StackException(String.join(System.lineSeparator(), problems));
  }
}
