package io.mcpaudit.rules.parse;

import io.mcpaudit.rules.sigma.Detection;
import io.mcpaudit.rules.sigma.FieldSpec;
import io.mcpaudit.rules.sigma.Modifier;
import io.mcpaudit.rules.sigma.SearchIdentifier;
import io.mcpaudit.rules.yaml.YamlNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads a rule's {@code detection} section into search identifiers and conditions. */
final class DetectionParser {
    private static final List<String> TIME_MODIFIERS = List.of("minute", "hour", "day", "week", "month", "year");

    private DetectionParser() {
    }

    static Optional<Detection> parse(YamlNode node, Problems p) {
        Optional<YamlNode.Mapping> map = Nodes.mapping(node, "detection", p);
        if (map.isEmpty()) {
            return Optional.empty();
        }
        int before = p.count();
        List<String> conditions = new ArrayList<>();
        int conditionLine = node.line();
        Map<String, SearchIdentifier> identifiers = new LinkedHashMap<>();
        for (YamlNode.Mapping.Entry e : map.get().entries()) {
            switch (e.key()) {
                case "condition" -> {
                    conditionLine = e.value().line();
                    conditions.addAll(Nodes.strings(e.value(), "condition", p));
                }
                case "timeframe" -> p.add(e.keyLine(), "'timeframe' is Sigma 1 aggregation syntax; write a correlation rule with 'timespan' instead");
                default -> identifier(e, p).ifPresent(s -> identifiers.put(s.name(), s));
            }
        }
        if (!map.get().has("condition")) {
            p.add(node.line(), "detection has no 'condition'");
        }
        if (identifiers.isEmpty() && map.get().entries().size() > 0) {
            p.add(node.line(), "detection defines no search identifier (selection)");
        }
        return p.count() == before ? Optional.of(new Detection(identifiers, conditions, conditionLine)) : Optional.empty();
    }

    private static Optional<SearchIdentifier> identifier(YamlNode.Mapping.Entry e, Problems p) {
        String name = e.key();
        YamlNode v = e.value();
        List<List<FieldSpec>> alternatives = new ArrayList<>();
        if (v instanceof YamlNode.Mapping m) {
            if (m.entries().isEmpty()) {
                p.add(v.line(), "search identifier '" + name + "' is an empty map");
                return Optional.empty();
            }
            alternatives.add(fieldSpecs(name, m, p));
        } else if (v instanceof YamlNode.Sequence seq && !seq.items().isEmpty()) {
            boolean allMaps = seq.items().stream().allMatch(i -> i instanceof YamlNode.Mapping);
            boolean allScalars = seq.items().stream().allMatch(i -> i instanceof YamlNode.Scalar);
            if (allMaps) {
                for (YamlNode item : seq.items()) {
                    alternatives.add(fieldSpecs(name, (YamlNode.Mapping) item, p));
                }
            } else if (allScalars) {
                List<YamlNode.Scalar> values = new ArrayList<>();
                seq.items().forEach(i -> values.add((YamlNode.Scalar) i));
                alternatives.add(List.of(new FieldSpec("", List.of(), values, v.line())));
            } else {
                p.add(v.line(), "search identifier '" + name + "' mixes maps and keywords in one list; split it into two identifiers");
                return Optional.empty();
            }
        } else {
            p.add(v.line(), "search identifier '" + name + "' must be a map of fields, a list of maps, or a list of keywords; found " + Nodes.describe(v));
            return Optional.empty();
        }
        return Optional.of(new SearchIdentifier(name, alternatives, e.keyLine()));
    }

    private static List<FieldSpec> fieldSpecs(String identifier, YamlNode.Mapping m, Problems p) {
        List<FieldSpec> specs = new ArrayList<>();
        for (YamlNode.Mapping.Entry e : m.entries()) {
            fieldSpec(identifier, e, p).ifPresent(specs::add);
        }
        return specs;
    }

    private static Optional<FieldSpec> fieldSpec(String identifier, YamlNode.Mapping.Entry e, Problems p) {
        String[] parts = e.key().split("\\|", -1);
        String field = parts[0].strip();
        List<Modifier> modifiers = new ArrayList<>();
        boolean ok = true;
        for (int i = 1; i < parts.length; i++) {
            String token = parts[i].strip();
            Optional<Modifier> m = Modifier.parse(token);
            if (m.isPresent()) {
                modifiers.add(m.get());
            } else if (token.equals("expand")) {
                p.add(e.keyLine(), "'" + e.key() + "': placeholders (expand) are not supported; list the values instead");
                ok = false;
            } else if (TIME_MODIFIERS.contains(token)) {
                p.add(e.keyLine(), "'" + e.key() + "': time-part modifier '" + token + "' is not supported");
                ok = false;
            } else {
                p.add(e.keyLine(), "'" + e.key() + "': unknown modifier '" + token + "' (supported: "
                        + Stream.of(Modifier.values()).map(Modifier::token).collect(Collectors.joining(", ")) + ")");
                ok = false;
            }
        }
        List<YamlNode.Scalar> values = new ArrayList<>();
        YamlNode v = e.value();
        if (v instanceof YamlNode.Scalar s) {
            values.add(s);
        } else if (v instanceof YamlNode.Sequence seq) {
            if (seq.items().isEmpty()) {
                p.add(v.line(), "'" + e.key() + "' in '" + identifier + "' has an empty list of values");
                ok = false;
            }
            for (YamlNode item : seq.items()) {
                if (item instanceof YamlNode.Scalar s) {
                    values.add(s);
                } else {
                    p.add(item.line(), "'" + e.key() + "' in '" + identifier + "': values must be strings, numbers, booleans or null, not a " + item.kind());
                    ok = false;
                }
            }
            if (values.size() > 1 && values.stream().anyMatch(YamlNode.Scalar::isNull)) {
                p.add(v.line(), "'" + e.key() + "' in '" + identifier + "': null cannot be part of a list of values; put 'field: null' in its own selection");
                ok = false;
            }
        } else {
            p.add(v.line(), "'" + e.key() + "' in '" + identifier + "': the value must be a scalar or a list of scalars, not a map");
            ok = false;
        }
        return ok ? Optional.of(new FieldSpec(field, modifiers, values, e.keyLine())) : Optional.empty();
    }
}
