package io.mcpaudit.router.config;

import java.util.List;

/**
 * One routing rule: alerts that match go to the listed destinations. Routes are tried in order;
 * the first match ends the search unless it sets {@code continue}.
 *
 * @param stormThreshold alerts per minute on this route beyond which they are grouped (0 = never)
 */
public record Route(String name, Match match, List<String> destinations, boolean continueMatching,
                    int stormThreshold) {}
