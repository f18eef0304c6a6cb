package io.mcpaudit.agent.capture;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Names and formats of the capture format, version 1 ({@code mcp-capture/1}, shared/contracts/capture-v1.md). */
public final class CaptureFormat {
  public static final String VERSION = "mcp-capture/1";

  public static final String KIND_MESSAGE = "message";
  public static final String KIND_LAUNCH = "launch";
  public static final String KIND_APPROVAL = "approval";
  public static final String KIND_SCOPE = "scope";
  public static final String KIND_SESSION_END = "session_end";

  public static final String CLIENT_TO_SERVER = "client_to_server";
  public static final String SERVER_TO_CLIENT = "server_to_client";

  /**
   * Extension member of a {@code message} line whose bytes were not JSON-RPC: it takes the
   * place of {@code message} (which cannot hold them). Readers that do not know it report
   * the line as lacking {@code message} and skip it, as the contract prescribes.
   */
  public static final String UNPARSEABLE = "unparseable";

  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private CaptureFormat() {}

  /** RFC 3339 with milliseconds, UTC: {@code 2026-11-20T10:00:00.120Z}. */
  public static String timestamp(Instant time) {
    return TS.format(time.truncatedTo(ChronoUnit.MILLIS));
  }
}
