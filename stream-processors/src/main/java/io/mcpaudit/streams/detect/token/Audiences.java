package io.mcpaudit.streams.detect.token;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Compares token audiences with the resources tokens are presented to. RFC 8707 resources are
 * URIs; servers differ in trailing slashes, default ports and case of scheme and host, none of
 * which make a different audience.
 */
public final class Audiences {
  private Audiences() {}

  public static String normalize(String resource) {
    if (resource == null) {
      return "";
    }
    String trimmed = resource.trim();
    try {
      URI uri = URI.create(trimmed);
      if (uri.getScheme() == null || uri.getHost() == null) {
        return stripSlash(trimmed);
      }
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      int port = uri.getPort();
      boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      return stripSlash(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path);
    } catch (IllegalArgumentException e) {
      return stripSlash(trimmed);
    }
  }

  /** Whether a token with these audiences may be used at the resource: equal, or the resource lies under one. */
  public static boolean covers(List<String> audiences, String resource) {
    String target = normalize(resource);
    for (String audience : audiences) {
      String aud = normalize(audience);
      if (!aud.isEmpty() && (target.equals(aud) || target.startsWith(aud + "/"))) {
        return true;
      }
    }
    return false;
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
