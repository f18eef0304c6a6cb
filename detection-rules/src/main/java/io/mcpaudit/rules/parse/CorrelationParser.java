package io.mcpaudit.rules.parse;

import io.mcpaudit.rules.correlation.CorrelationRule;
import io.mcpaudit.rules.correlation.CorrelationType;
import io.mcpaudit.rules.correlation.CountCondition;
import io.mcpaudit.rules.extension.McpAuditExtension;
import io.mcpaudit.rules.sigma.RuleMeta;
import io.mcpaudit.rules.sigma.Timespans;
import io.mcpaudit.rules.yaml.YamlNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads the {@code correlation} section of a Sigma correlation rule. */
final class CorrelationParser {
    private static final List<String> KEYS = List.of("type", "rules", "group-by", "timespan", "condition", "aliases");
    private static final List<String> CONDITION_KEYS = List.of("gt", "gte", "lt", "lte", "eq", "field");

    private CorrelationParser() {
    }

    static Optional<CorrelationRule> parse(YamlNode.Mapping root, RuleMeta meta, McpAuditExtension ext, Problems p) {
        int before = p.count();
        Optional<YamlNode.Mapping> corr = Nodes.mapping(root.get("correlation").orElseThrow(), "correlation", p);
        if (corr.isEmpty()) {
            return Optional.empty();
        }
        YamlNode.Mapping c = corr.get();
        Nodes.onlyKeys(c, KEYS, "correlation", p);
        if (c.has("generate")) {
            p.add(c.entry("generate").get().keyLine(), "'generate' belongs at the top level of the rule, not inside 'correlation'");
        }
        CorrelationType type = c.get("type").flatMap(n -> Nodes.string(n, "correlation type", p)).flatMap(t -> {
            Optional<CorrelationType> ct = CorrelationType.fromId(t);
            if (ct.isEmpty()) {
                p.add(c.get("type").get().line(), "correlation type '" + t + "' is not one of "
                        + Stream.of(CorrelationType.values()).map(CorrelationType::id).collect(Collectors.joining(", ")));
            }
            return ct;
        }).orElse(null);
        if (!c.has("type")) {
            p.add(c.line(), "correlation has no 'type'");
        }
        List<String> rules = c.get("rules").map(n -> Nodes.strings(n, "correlation rules", p)).orElse(List.of());
        if (rules.isEmpty()) {
            p.add(c.line(), "correlation has no 'rules': list the ids or names of the rules it correlates");
        }
        List<String> groupBy = c.get("group-by").map(n -> Nodes.strings(n, "group-by", p)).orElse(List.of());
        Duration timespan = c.get("timespan").flatMap(n -> Nodes.string(n, "timespan", p)).flatMap(t -> {
            Optional<Duration> d = Timespans.parse(t);
            if (d.isEmpty()) {
                p.add(c.get("timespan").get().line(), "timespan '" + t + "' must be a number and a unit s, m, h or d (e.g. 90m)");
            }
            return d;
        }).orElse(null);
        if (!c.has("timespan")) {
            p.add(c.line(), "correlation has no 'timespan'");
        }
        CountCondition condition = c.get("condition").flatMap(n -> condition(n, p)).orElse(null);
        if (type != null) {
            condition = checkCondition(type, rules, condition, c, p);
        }
        Map<String, Map<String, String>> aliases = c.get("aliases").map(n -> aliases(n, p)).orElse(Map.of());
        boolean generate = false;
        if (root.has("generate")) {
            YamlNode g = root.get("generate").get();
            if (g instanceof YamlNode.Scalar s && s.value() instanceof Boolean b) {
                generate = b;
            } else {
                p.add(g.line(), "generate must be true or false");
            }
        }
        if (p.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new CorrelationRule(meta, type, rules, groupBy, timespan, condition, aliases, generate, ext));
    }

    private static CountCondition checkCondition(CorrelationType type, List<String> rules, CountCondition condition,
                                                 YamlNode.Mapping c, Problems p) {
        switch (type) {
            case EVENT_COUNT, VALUE_COUNT -> {
                if (condition == null) {
                    if (!c.has("condition")) {
                        p.add(c.line(), type.id() + " correlation needs a 'condition' (e.g. gte: 10)");
                    }
                    return null;
                }
                if (type == CorrelationType.VALUE_COUNT && condition.field().isEmpty()) {
                    p.add(c.get("condition").get().line(), "value_count condition needs 'field': the field whose distinct values are counted");
                }
                if (type == CorrelationType.EVENT_COUNT && condition.field().isPresent()) {
                    p.add(c.get("condition").get().line(), "'field' only applies to value_count correlations");
                }
                return condition;
            }
            case TEMPORAL -> {
                // Without a condition, every referenced rule must match within the span.
                return condition == null ? CountCondition.atLeast(rules.size()) : condition;
            }
            default -> {
                if (condition != null && !(condition.isLowerBoundOnly() && condition.gte().orElse(-1) == rules.size())) {
                    p.add(c.get("condition").get().line(), "temporal_ordered correlations match when all rules occur in order;"
                            + " leave out 'condition' (or write gte: " + rules.size() + ")");
                }
                return CountCondition.atLeast(rules.size());
            }
        }
    }

    private static Optional<CountCondition> condition(YamlNode node, Problems p) {
        Optional<YamlNode.Mapping> m = Nodes.mapping(node, "correlation condition", p);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Nodes.onlyKeys(m.get(), CONDITION_KEYS, "correlation condition", p);
        OptionalLong[] bounds = new OptionalLong[5];
        List<String> ops = List.of("gt", "gte", "lt", "lte", "eq");
        boolean any = false;
        for (int i = 0; i < ops.size(); i++) {
            String op = ops.get(i);
            Optional<Long> v = m.get().get(op).flatMap(n -> Nodes.integer(n, "condition " + op, p));
            bounds[i] = v.map(OptionalLong::of).orElse(OptionalLong.empty());
            any |= v.isPresent();
        }
        if (!any) {
            p.add(node.line(), "correlation condition needs at least one of gt, gte, lt, lte, eq");
        }
        Optional<List<String>> field = m.get().get("field").map(n -> Nodes.strings(n, "condition field", p));
        return Optional.of(new CountCondition(bounds[0], bounds[1], bounds[2], bounds[3], bounds[4], field));
    }

    private static Map<String, Map<String, String>> aliases(YamlNode node, Problems p) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        Nodes.mapping(node, "aliases", p).ifPresent(m -> {
            for (YamlNode.Mapping.Entry alias : m.entries()) {
                Map<String, String> perRule = new LinkedHashMap<>();
                Nodes.mapping(alias.value(), "alias '" + alias.key() + "'", p).ifPresent(rm -> {
                    for (YamlNode.Mapping.Entry r : rm.entries()) {
                        Nodes.string(r.value(), "alias '" + alias.key() + "' field for rule '" + r.key() + "'", p)
                                .ifPresent(f -> perRule.put(r.key(), f));
                    }
                });
                out.put(alias.key(), perRule);
            }
        });
        return out;
    }
}
