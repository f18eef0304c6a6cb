package io.mcpaudit.rules.parse;

import io.mcpaudit.rules.yaml.YamlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Typed reads of YAML nodes that report a precise problem instead of throwing. */
final class Nodes {
    private Nodes() {
    }

    static Optional<String> string(YamlNode node, String what, Problems problems) {
        if (node instanceof YamlNode.Scalar s && s.value() != null && !(s.value() instanceof Boolean)) {
            return Optional.of(s.text());
        }
        problems.add(node.line(), what + " must be a string, not a " + node.kind());
        return Optional.empty();
    }

    /** A list of strings; a single string is accepted as a list of one. */
    static List<String> strings(YamlNode node, String what, Problems problems) {
        List<String> out = new ArrayList<>();
        if (node instanceof YamlNode.Scalar s && s.value() != null) {
            out.add(s.text());
            return out;
        }
        if (node instanceof YamlNode.Sequence seq) {
            for (YamlNode item : seq.items()) {
                if (item instanceof YamlNode.Scalar s && s.value() != null && !(s.value() instanceof Boolean)) {
                    out.add(s.text());
                } else {
                    problems.add(item.line(), what + " must be a list of strings; found a " + item.kind());
                }
            }
            return out;
        }
        problems.add(node.line(), what + " must be a string or a list of strings, not a " + node.kind());
        return out;
    }

    static Optional<YamlNode.Mapping> mapping(YamlNode node, String what, Problems problems) {
        if (node instanceof YamlNode.Mapping m) {
            return Optional.of(m);
        }
        problems.add(node.line(), what + " must be a map, not a " + node.kind());
        return Optional.empty();
    }

    static Optional<Long> integer(YamlNode node, String what, Problems problems) {
        if (node instanceof YamlNode.Scalar s && s.value() instanceof Long l) {
            return Optional.of(l);
        }
        problems.add(node.line(), what + " must be a whole number, not " + describe(node));
        return Optional.empty();
    }

    static String describe(YamlNode node) {
        if (node instanceof YamlNode.Scalar s) {
            return s.value() == null ? "null" : "'" + s.text() + "'";
        }
        return "a " + node.kind();
    }

    /** Reports every key of {@code map} outside {@code allowed}, naming the allowed ones. */
    static void onlyKeys(YamlNode.Mapping map, List<String> allowed, String where, Problems problems) {
        for (YamlNode.Mapping.Entry e : map.entries()) {
            if (!allowed.contains(e.key())) {
                problems.add(e.keyLine(), "unknown key '" + e.key() + "' in " + where + " (allowed: " + String.join(", ", allowed) + ")");
            }
        }
    }
}
