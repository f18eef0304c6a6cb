package io.mcpaudit.agent.bench;

import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty's reverse proxy with nothing added, as its own process: {@code PlainProxyMain PORT UPSTREAM}.
 * The benchmark's baseline for what one HTTP hop costs, so that the agent's own share (observing,
 * session tracking, admission checks) can be told apart from the hop. Prints {@code listening} when ready.
 */
public final class PlainProxyMain {
  private PlainProxyMain() {}

  public static void main(String[] args) throws Exception {
    String upstream = args[1];
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(Integer.parseInt(args[0]));
    server.addConnector(connector);
    server.setHandler(new ProxyHandler.Reverse(request -> HttpURI.build(upstream + request.getHttpURI().getPathQuery())));
    server.start();
    System.out.println("listening http://127.0.0.1:" + connector.getLocalPort());
    System.out.flush();
    server.join();
  }
}
