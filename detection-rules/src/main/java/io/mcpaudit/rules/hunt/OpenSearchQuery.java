package io.mcpaudit.rules.hunt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A stateless rule as an OpenSearch query over indexed events, or the reasons it cannot be one.
 *
 * @param query      the query DSL ({@code {"bool": …}}), null when not translatable
 * @param unsupported what in the rule has no faithful OpenSearch form (derived fields, base64 …)
 * @param approximations where the query is looser or stricter than the engine (regex dialect, analyzed text)
 */
public record OpenSearchQuery(ObjectNode query, List<String> unsupported, List<String> approximations) {
  public OpenSearchQuery {
    unsupported = List.copyOf(unsupported);
    approximations = List.copyOf(approximations);
  }

  public boolean translatable() {
    return query != null && unsupported.isEmpty();
  }
}
