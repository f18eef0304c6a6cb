package io.mcpaudit.agent.bench;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The cheapest possible stdio MCP server, for measuring what the agent adds: every request
 * line is answered at once with a small tools/call result carrying the same id. Its own cost
 * is the same with and without the agent, so the difference is the agent's.
 */
public final class BenchStdioServer {
  private BenchStdioServer() {}

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
    OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
    String line;
    while ((line = in.readLine()) != null) {
      String id = BenchMessages.idOf(line);
      if (id == null) {
        continue; // a notification
      }
      out.write(BenchMessages.result(id).getBytes(StandardCharsets.UTF_8));
      out.write('\n');
      out.flush();
    }
  }
}
