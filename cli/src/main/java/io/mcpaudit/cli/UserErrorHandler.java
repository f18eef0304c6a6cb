package io.mcpaudit.cli;

import io.mcpaudit.stack.StackException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures a user can act on into one readable line and exit code 1; anything
 * else is a defect and keeps its stack trace (set MCP_AUDIT_DEBUG=1 to see traces always).
 */
final class UserErrorHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) throws Exception {
    boolean debug = System.getenv("MCP_AUDIT_DEBUG") != null;
    if (isUserError(e) && !debug) {
      command.getErr().println("mcp-audit " + command.getCommandName() + ": " + e.getMessage());
      return 1;
    }
    throw e;
  }

  private static boolean isUserError(Exception e) {
    return e instanceof StackException || e instanceof IllegalArgumentException || e instanceof IllegalStateException
        || e instanceof java.io.IOException;
  }
}
