package io.mcpaudit.agent.secrets;

import java.util.Optional;

/**
 * A bearer token as the agent records it: a keyed fingerprint, plus the claims when it
 * is a JWT. The raw token is never part of it.
 */
public record TokenObservation(String fingerprint, Optional<TokenClaimsView> claims) {}
