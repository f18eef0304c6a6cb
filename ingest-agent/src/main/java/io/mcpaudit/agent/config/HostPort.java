package io.mcpaudit.agent.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An address to listen on: {@code HOST:PORT}, {@code [IPv6]:PORT}, or {@code :PORT} for every
 * interface. Port 0 asks the system for a free port.
 *
 * @param host the host or address without brackets; {@code 0.0.0.0} for every interface
 */
public record HostPort(String host, int port) {
  private static final Pattern FORM = Pattern.compile("(?:\\[([0-9a-fA-F:.%\\w]+)]|([^\\s:\\[\\]/]*)):(\\d{1,5})");

  /** Parses the text, or says why it is not an address to listen on. */
  public static Optional<HostPort> parse(String text, StringBuilder problem) {
    Matcher matcher = FORM.matcher(text.trim());
    if (!matcher.matches()) {
      problem.append("'").append(text).append("' is not HOST:PORT (for example 127.0.0.1:8080 or [::1]:8080)");
      return Optional.empty();
    }
    int port = Integer.parseInt(matcher.group(3));
    if (port > 65535) {
      problem.append("port ").append(port).append(" is out of range (0-65535)");
      return Optional.empty();
    }
    String host = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
    return Optional.of(new HostPort(host.isEmpty() ? "0.0.0.0" : host, port));
  }

  /** Whether this binds every interface (0.0.0.0 or ::). */
  public boolean isWildcard() {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("*");
  }

  /** Whether only this machine can connect (localhost, 127.x, ::1). */
  public boolean isLoopback() {
    return host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
