package io.mcpaudit.testing;

import io.mcpaudit.stack.LocalStack;
import io.mcpaudit.stack.StackException;
import java.nio.file.Path;

/**
 * Stops the local stack the integration tests shared, if one runs; bound to the end of the build.
 * Takes the project folder as its argument, or the {@code mcpaudit.repo.root} property.
 */
public final class StopItStack {

  private StopItStack() {}

  public static void main(String[] args) throws StackException {
    Path root = args.length > 0 ? Path.of(args[0]).toAbsolutePath().normalize() : ItStack.repoRoot();
    Path runDir = ItStack.runDir(root);
    System.out.println(LocalStack.stopAt(runDir)
        ? "stopped the integration-test stack in " + runDir
        : "no integration-test stack to stop in " + runDir);
  }
}
