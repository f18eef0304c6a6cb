package io.mcpaudit.agent.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code Bearer} challenge of a {@code WWW-Authenticate} header (RFC 6750 §3, RFC 9728 §5.1):
 * {@code error}, {@code scope}, {@code resource_metadata} and the other parameters. Other schemes
 * in the same header ({@code Basic realm=…, Bearer …}) are skipped.
 *
 * @param params parameter names in lower case, values unquoted
 */
record BearerChallenge(Map<String, String> params) {

  String error() {
    return params.get("error");
  }

  String resourceMetadata() {
    return params.get("resource_metadata");
  }

  /** The space-separated {@code scope} parameter as a list. */
  List<String> scopes() {
    String scope = params.get("scope");
    List<String> scopes = new ArrayList<>();
    if (scope != null) {
      for (String part : scope.trim().split("\\s+")) {
        if (!part.isEmpty()) {
          scopes.add(part);
        }
      }
    }
    return scopes;
  }

  /** The Bearer challenge among the values of {@code WWW-Authenticate}, if there is one. */
  static Optional<BearerChallenge> find(List<String> headerValues) {
    for (String value : headerValues) {
      Optional<BearerChallenge> found = parse(value);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  static Optional<BearerChallenge> parse(String header) {
    if (header == null) {
      return Optional.empty();
    }
    Lexer lexer = new Lexer(header);
    boolean inBearer = false;
    boolean found = false;
    Map<String, String> params = new LinkedHashMap<>();
    while (true) {
      lexer.skipSeparators();
      String token = lexer.token();
      if (token == null) {
        break;
      }
      lexer.skipSpaces();
      if (lexer.peek() == '=') {
        lexer.next();
        lexer.skipSpaces();
        if (lexer.peek() == '=') {
          // token68 padding (Basic credentials-like challenge data): not a parameter
          while (lexer.peek() == '=') {
            lexer.next();
          }
          continue;
        }
        String value = lexer.peek() == '"' ? lexer.quoted()
            : lexer.peek() == ',' || lexer.peek() == -1 ? "" : lexer.token();
        if (inBearer) {
          params.putIfAbsent(token.toLowerCase(Locale.ROOT), value == null ? "" : value);
        }
      } else {
        // A new auth-scheme starts.
        if (inBearer) {
          break;
        }
        inBearer = token.equalsIgnoreCase("bearer");
        found |= inBearer;
      }
    }
    return found ? Optional.of(new BearerChallenge(Map.copyOf(params))) : Optional.empty();
  }

  private static final class Lexer {
    private final String text;
    private int pos;

    Lexer(String text) {
      this.text = text;
    }

    int peek() {
      return pos < text.length() ? text.charAt(pos) : -1;
    }

    void next() {
      pos++;
    }

    void skipSpaces() {
      while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
        pos++;
      }
    }

    void skipSeparators() {
      while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t' || text.charAt(pos) == ',')) {
        pos++;
      }
    }

    /** An RFC 9110 token (also accepting token68 characters); null at the end. */
    String token() {
      int start = pos;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == '=' || c == ',' || c == ' ' || c == '\t' || c == '"') {
          break;
        }
        pos++;
      }
      if (start == pos) {
        if (pos < text.length() && text.charAt(pos) != '=') {
          pos++; // skip a stray character rather than loop on it
          return token();
        }
        return null;
      }
      return text.substring(start, pos);
    }

    String quoted() {
      StringBuilder out = new StringBuilder();
      pos++; // opening quote
      while (pos < text.length()) {
        char c = text.charAt(pos++);
        if (c == '\\' && pos < text.length()) {
          out.append(text.charAt(pos++));
        } else if (c == '"') {
          break;
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }
  }
}
