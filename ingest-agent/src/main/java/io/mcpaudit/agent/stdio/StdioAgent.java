package io.mcpaudit.agent.stdio;

import io.mcpaudit.agent.AgentRuntime;
import io.mcpaudit.agent.approval.ApprovalEndpoint;
import io.mcpaudit.agent.events.LaunchInfo;
import io.mcpaudit.agent.events.Observation;
import io.mcpaudit.agent.events.SessionContext;
import io.mcpaudit.event.Direction;
import io.mcpaudit.event.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * stdio mode: runs the MCP server as a child process and sits between it and the MCP
 * client. stdin goes to the child and the child's stdout comes back byte for byte;
 * the child's stderr is passed straight through. Each line is observed on a copy.
 * The agent exits with the child's exit code; SIGTERM/SIGINT to the agent stop the
 * child first.
 */
public final class StdioAgent {
  /** Exit code when the server command cannot be started (as a shell reports "command not found"). */
  public static final int CANNOT_START = 127;

  private final AgentRuntime runtime;
  private final List<String> command;
  private final Path cwd;
  private final Map<String, String> environment;
  private final Consumer<String> status;
  private final Clock clock;
  private final SessionContext session;

  /**
   * @param environment the environment the child gets (the agent's own, usually); only names are recorded
   */
  public StdioAgent(AgentRuntime runtime, List<String> command, Path cwd, Map<String, String> environment,
                    Consumer<String> status, Clock clock) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("no server command given: put it after '--', e.g."
          + " mcp-audit agent stdio --kafka none -- npx -y @modelcontextprotocol/server-everything");
    }
    this.runtime = runtime;
    this.command = List.copyOf(command);
    this.cwd = cwd.toAbsolutePath().normalize();
    this.environment = Map.copyOf(environment);
    this.status = status;
    this.clock = clock;
    this.session = new SessionContext(UUID.randomUUID().toString(), Transport.STDIO,
        runtime.config().serverName().orElse(null), null, this.command, null,
        runtime.config().clientUser().orElse(System.getProperty("user.name")));
  }

  /** The one session this agent carries (its id is assigned when the agent is created). */
  public SessionContext session() {
    return session;
  }

  /** How the approval endpoint places reports: a report without a session belongs to the one stdio session. */
  public ApprovalEndpoint.Sessions approvalSessions() {
    return reported -> {
      if (reported == null || reported.equals(session.sessionId())) {
        return session;
      }
      throw new IllegalArgumentException("this agent carries one stdio session (" + session.sessionId()
          + "); leave 'session' out or give that id");
    };
  }

  /**
   * Runs the child to completion, relaying {@code clientIn} to it and its output to
   * {@code clientOut}. Returns the child's exit code. Closes the runtime (drains events).
   */
  public int run(InputStream clientIn, OutputStream clientOut) throws InterruptedException {
    String executablePath = Executables.resolve(command.get(0), environment.get("PATH"), cwd)
        .map(Path::toString).orElse(null);
    String executableSha256 = executablePath == null ? null : Executables.sha256(Path.of(executablePath)).orElse(null);

    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(cwd.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process child;
    try {
      child = builder.start();
    } catch (IOException e) {
      status.accept("mcp-audit agent: cannot start '" + command.get(0) + "' (" + e.getMessage() + ")"
          + (executablePath == null ? "; it was not found on PATH" : ""));
      runtime.close();
      return CANNOT_START;
    }
    Instant launched = clock.instant();
    runtime.trail().observe(new Observation.Launch(session, launched, new LaunchInfo(command, cwd.toString(),
        executablePath, executableSha256, new ArrayList<>(environment.keySet()), child.pid())));

    AtomicBoolean finished = new AtomicBoolean(false);
    AtomicBoolean stoppedBySignal = new AtomicBoolean(false);
    CountDownLatch endRecorded = new CountDownLatch(1);
    Thread stopChild = new Thread(() -> {
      if (!finished.get()) {
        stoppedBySignal.set(true);
        stop(child);
        try {
          // Let the main thread record the session end, then drain capture and delivery.
          endRecorded.await(5, TimeUnit.SECONDS);
          runtime.close();
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
      }
    }, "mcp-audit-stop-child");
    Runtime.getRuntime().addShutdownHook(stopChild);

    int maxKept = runtime.config().maxMessageBytes();
    StdioRelay toServer = new StdioRelay(clientIn, child.getOutputStream(),
        new NewlineFramer(maxKept, line -> observe(session, Direction.CLIENT_TO_SERVER, line)), true);
    StdioRelay toClient = new StdioRelay(child.getInputStream(), clientOut,
        new NewlineFramer(maxKept, line -> observe(session, Direction.SERVER_TO_CLIENT, line)), false);
    Thread clientToServer = new Thread(toServer, "mcp-audit-stdin-relay");
    clientToServer.setDaemon(true);
    Thread serverToClient = new Thread(toClient, "mcp-audit-stdout-relay");
    clientToServer.start();
    serverToClient.start();

    int exitCode = child.waitFor();
    // Everything the child wrote before exiting still reaches the client.
    serverToClient.join();
    try {
      clientOut.flush();
    } catch (IOException ignored) {
      // the client is gone; nothing left to deliver to it
    }
    String reason = stoppedBySignal.get() ? "agent stopped by a signal; child terminated" : "stdio child exited";
    runtime.trail().observe(new Observation.SessionEnd(session, clock.instant(), reason, exitCode));
    endRecorded.countDown();
    finished.set(true);
    try {
      Runtime.getRuntime().removeShutdownHook(stopChild);
    } catch (IllegalStateException shuttingDown) {
      // already shutting down: the hook does the closing
      return exitCode;
    }
    runtime.close();
    return exitCode;
  }

  private void observe(SessionContext session, Direction direction, NewlineFramer.Line line) {
    Instant now = clock.instant();
    if (line.bytes() != null) {
      runtime.trail().observe(Observation.Message.of(session, now, direction, line.bytes()));
    } else {
      runtime.trail().observe(new Observation.Message(session, now, direction, null, line.size(), line.sha256(),
          java.util.Optional.empty(), null));
    }
  }

  /** SIGTERM to the child, then SIGKILL if it does not stop within 5 seconds. */
  private static void stop(Process child) {
    if (!child.isAlive()) {
      return;
    }
    child.destroy();
    try {
      if (!child.waitFor(5, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    } catch (InterruptedException e) {
      child.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
