package io.mcpaudit.router.config;

import io.mcpaudit.event.RiskTier;
import io.mcpaudit.event.Severity;
import java.util.Optional;
import java.util.Set;

/**
 * What a route matches. Every condition that is set must hold; an empty set means "any".
 * Risk tier and owner come from the server inventory, so they only match servers listed there.
 */
public record Match(
    Optional<Severity> severityAtLeast,
    Set<Severity> severities,
    Set<String> categories,
    Set<String> servers,
    Set<RiskTier> riskTiers,
    Set<String> owners,
    Set<String> ruleIds) {

  public static Match any() {
    return new Match(Optional.empty(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of());
  }
}
