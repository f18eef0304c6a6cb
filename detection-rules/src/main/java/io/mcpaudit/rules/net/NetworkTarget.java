package io.mcpaudit.rules.net;

import java.util.Optional;

/**
 * A place a request would go, found in argument text: the host as written (lower case,
 * percent-decoded), its IP address when the host is an address in any encoding, the URL scheme,
 * and the unusual encoding used to write the address, if any.
 */
public record NetworkTarget(String host, Optional<String> ip, Optional<String> scheme, Optional<String> encoding) {
}
