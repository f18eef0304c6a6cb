package io.mcpaudit.rules.parse;

import io.mcpaudit.rules.extension.Category;
import io.mcpaudit.rules.extension.Dedup;
import io.mcpaudit.rules.extension.DetectorSpec;
import io.mcpaudit.rules.extension.FirstSeen;
import io.mcpaudit.rules.extension.InlineTests;
import io.mcpaudit.rules.extension.McpAuditExtension;
import io.mcpaudit.rules.extension.SequenceSpan;
import io.mcpaudit.rules.extension.Severity;
import io.mcpaudit.rules.extension.TestCase;
import io.mcpaudit.rules.sigma.Timespans;
import io.mcpaudit.rules.yaml.YamlNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and validates the {@code mcpaudit:} block. This is the schema of the extension: every
 * key, type and allowed value is checked here, each violation reported with its line.
 */
final class ExtensionParser {
    static final List<String> KEYS = List.of("category", "severity", "dedup", "first_seen", "absence", "ordering", "detector", "tests");
    private static final List<String> DEDUP_KEYS = List.of("window", "key");
    private static final List<String> FIRST_SEEN_KEYS = List.of("fields", "history", "warmup");
    private static final List<String> ABSENCE_KEYS = List.of("followed_by", "group-by", "within", "steps");
    private static final List<String> ORDERING_KEYS = List.of("preceded_by", "group-by", "within", "steps");
    private static final List<String> DETECTOR_KEYS = List.of("name", "thresholds");
    private static final List<String> TEST_KEYS = List.of("true_positives", "true_negatives");
    private static final List<String> STATEFUL_KEYS = List.of("first_seen", "absence", "ordering", "detector");
    private static final Pattern DETECTOR_NAME = Pattern.compile("[a-z][a-z0-9-]{1,63}");
    /** Absence and ordering are scoped to the session unless the rule says otherwise. */
    static final List<String> DEFAULT_SEQUENCE_GROUP = List.of("mcp.session.id");

    private ExtensionParser() {
    }

    static McpAuditExtension parse(Optional<YamlNode> node, Problems p) {
        if (node.isEmpty()) {
            return McpAuditExtension.NONE;
        }
        Optional<YamlNode.Mapping> mm = Nodes.mapping(node.get(), "mcpaudit", p);
        if (mm.isEmpty()) {
            return McpAuditExtension.NONE;
        }
        YamlNode.Mapping m = mm.get();
        Nodes.onlyKeys(m, KEYS, "mcpaudit", p);
        List<String> stateful = STATEFUL_KEYS.stream().filter(m::has).toList();
        if (stateful.size() > 1) {
            p.add(m.line(), "mcpaudit may hold only one of " + String.join(", ", STATEFUL_KEYS) + "; found " + String.join(" and ", stateful));
        }
        return new McpAuditExtension(
                m.get("category").flatMap(n -> category(n, p)),
                m.get("severity").flatMap(n -> severity(n, p)),
                m.get("dedup").flatMap(n -> dedup(n, p)),
                m.get("first_seen").flatMap(n -> firstSeen(n, p)),
                m.get("absence").flatMap(n -> span(n, "absence", "followed_by", ABSENCE_KEYS, p)),
                m.get("ordering").flatMap(n -> span(n, "ordering", "preceded_by", ORDERING_KEYS, p)),
                m.get("detector").flatMap(n -> detector(n, p)),
                m.get("tests").map(n -> tests(n, p)).orElse(InlineTests.NONE),
                m.line());
    }

    private static Optional<Category> category(YamlNode n, Problems p) {
        return Nodes.string(n, "mcpaudit.category", p).flatMap(s -> {
            Optional<Category> c = Category.fromId(s);
            if (c.isEmpty()) {
                p.add(n.line(), "mcpaudit.category '" + s + "' is not in the fixed category list (did you mean '"
                        + Category.closest(s).id() + "'?); allowed: " + String.join(", ", Category.ids()));
            }
            return c;
        });
    }

    private static Optional<Severity> severity(YamlNode n, Problems p) {
        return Nodes.string(n, "mcpaudit.severity", p).flatMap(s -> {
            Optional<Severity> sev = Severity.fromId(s);
            if (sev.isEmpty()) {
                p.add(n.line(), "mcpaudit.severity '" + s + "' must be one of low, medium, high, critical");
            }
            return sev;
        });
    }

    private static Optional<Duration> duration(YamlNode.Mapping m, String key, String where, boolean required, Problems p) {
        Optional<YamlNode> n = m.get(key);
        if (n.isEmpty()) {
            if (required) {
                p.add(m.line(), where + " needs '" + key + "' (a time span such as 10m, 24h or 30d)");
            }
            return Optional.empty();
        }
        return Nodes.string(n.get(), where + "." + key, p).flatMap(s -> {
            Optional<Duration> d = Timespans.parse(s);
            if (d.isEmpty()) {
                p.add(n.get().line(), where + "." + key + " '" + s + "' must be a number and a unit s, m, h or d (e.g. 10m)");
            }
            return d;
        });
    }

    private static Optional<Dedup> dedup(YamlNode n, Problems p) {
        return Nodes.mapping(n, "mcpaudit.dedup", p).flatMap(m -> {
            Nodes.onlyKeys(m, DEDUP_KEYS, "mcpaudit.dedup", p);
            Optional<Duration> window = duration(m, "window", "mcpaudit.dedup", true, p);
            List<String> key = m.get("key").map(k -> Nodes.strings(k, "mcpaudit.dedup.key", p)).orElse(List.of());
            return window.map(w -> new Dedup(w, key));
        });
    }

    private static Optional<FirstSeen> firstSeen(YamlNode n, Problems p) {
        return Nodes.mapping(n, "mcpaudit.first_seen", p).flatMap(m -> {
            Nodes.onlyKeys(m, FIRST_SEEN_KEYS, "mcpaudit.first_seen", p);
            List<String> fields = m.get("fields").map(f -> Nodes.strings(f, "mcpaudit.first_seen.fields", p)).orElse(List.of());
            if (fields.isEmpty()) {
                p.add(m.line(), "mcpaudit.first_seen needs 'fields': the fields whose combination is the term (e.g. [user.name, gen_ai.tool.name])");
            }
            Optional<Duration> history = duration(m, "history", "mcpaudit.first_seen", true, p);
            Optional<Duration> warmup = duration(m, "warmup", "mcpaudit.first_seen", false, p);
            return history.filter(h -> !fields.isEmpty()).map(h -> new FirstSeen(fields, h, warmup));
        });
    }

    private static Optional<SequenceSpan> span(YamlNode n, String where, String refKey, List<String> keys, Problems p) {
        String path = "mcpaudit." + where;
        return Nodes.mapping(n, path, p).flatMap(m -> {
            Nodes.onlyKeys(m, keys, path, p);
            Optional<String> ref = m.get(refKey).flatMap(r -> Nodes.string(r, path + "." + refKey, p));
            if (!m.has(refKey)) {
                p.add(m.line(), path + " needs '" + refKey + "': the id or name of the other rule");
            }
            List<String> group = m.get("group-by").map(g -> Nodes.strings(g, path + ".group-by", p)).orElse(DEFAULT_SEQUENCE_GROUP);
            Optional<Duration> within = duration(m, "within", path, false, p);
            Optional<Integer> steps = m.get("steps").flatMap(s -> Nodes.integer(s, path + ".steps", p)).flatMap(s -> {
                if (s < 1 || s > 10_000) {
                    p.add(m.get("steps").get().line(), path + ".steps must be between 1 and 10000");
                    return Optional.empty();
                }
                return Optional.of(s.intValue());
            });
            if (!m.has("within") && !m.has("steps")) {
                p.add(m.line(), path + " needs a maximum span: 'within' (time), 'steps' (events in the group), or both");
            }
            return ref.filter(r -> within.isPresent() || steps.isPresent()).map(r -> new SequenceSpan(r, group, within, steps));
        });
    }

    private static Optional<DetectorSpec> detector(YamlNode n, Problems p) {
        return Nodes.mapping(n, "mcpaudit.detector", p).flatMap(m -> {
            Nodes.onlyKeys(m, DETECTOR_KEYS, "mcpaudit.detector", p);
            Optional<String> name = m.get("name").flatMap(x -> Nodes.string(x, "mcpaudit.detector.name", p));
            if (!m.has("name")) {
                p.add(m.line(), "mcpaudit.detector needs 'name': the stateful detector that implements the rule");
            }
            name.filter(x -> !DETECTOR_NAME.matcher(x).matches()).ifPresent(x ->
                    p.add(m.get("name").get().line(), "mcpaudit.detector.name '" + x + "' must be lower-case letters, digits and '-'"));
            Map<String, Object> thresholds = new LinkedHashMap<>();
            m.get("thresholds").flatMap(t -> Nodes.mapping(t, "mcpaudit.detector.thresholds", p)).ifPresent(t -> {
                for (YamlNode.Mapping.Entry e : t.entries()) {
                    if (e.value() instanceof YamlNode.Mapping) {
                        p.add(e.value().line(), "threshold '" + e.key() + "' must be a scalar or a list, not a map");
                    } else {
                        thresholds.put(e.key(), e.value().toPlain());
                    }
                }
            });
            return name.map(x -> new DetectorSpec(x, thresholds));
        });
    }

    private static InlineTests tests(YamlNode n, Problems p) {
        Optional<YamlNode.Mapping> mm = Nodes.mapping(n, "mcpaudit.tests", p);
        if (mm.isEmpty()) {
            return InlineTests.NONE;
        }
        Nodes.onlyKeys(mm.get(), TEST_KEYS, "mcpaudit.tests", p);
        return new InlineTests(
                mm.get().get("true_positives").map(x -> cases(x, "true_positives", p)).orElse(List.of()),
                mm.get().get("true_negatives").map(x -> cases(x, "true_negatives", p)).orElse(List.of()));
    }

    private static List<TestCase> cases(YamlNode n, String kind, Problems p) {
        List<TestCase> out = new ArrayList<>();
        if (!(n instanceof YamlNode.Sequence seq)) {
            p.add(n.line(), "mcpaudit.tests." + kind + " must be a list of test cases");
            return out;
        }
        for (int index = 1; index <= seq.items().size(); index++) {
            YamlNode item = seq.items().get(index - 1);
            String name = kind + "[" + index + "]";
            if (item instanceof YamlNode.Mapping m && m.has("sequence")) {
                Nodes.onlyKeys(m, List.of("sequence", "name"), name, p);
                String caseName = kindName(kind, index, m);
                events(m.get("sequence").get(), caseName, p).ifPresent(evs -> out.add(new TestCase(caseName, evs, item.line())));
            } else if (item instanceof YamlNode.Mapping m) {
                out.add(new TestCase(name, List.of(event(m)), item.line()));
            } else if (item instanceof YamlNode.Sequence) {
                events(item, name, p).ifPresent(evs -> out.add(new TestCase(name, evs, item.line())));
            } else {
                p.add(item.line(), name + " must be an event (a map), a list of events, or {sequence: [events]}; found " + Nodes.describe(item));
            }
        }
        return out;
    }

    private static String kindName(String kind, int index, YamlNode.Mapping m) {
        String base = kind + "[" + index + "]";
        if (m != null && m.get("name").orElse(null) instanceof YamlNode.Scalar s && s.isString()) {
            return base + " " + s.text();
        }
        return base;
    }

    private static Optional<List<Map<String, Object>>> events(YamlNode n, String name, Problems p) {
        if (!(n instanceof YamlNode.Sequence seq) || seq.items().isEmpty()) {
            p.add(n.line(), name + ": a sequence must be a non-empty list of events");
            return Optional.empty();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (YamlNode e : seq.items()) {
            if (e instanceof YamlNode.Mapping m) {
                out.add(event(m));
            } else {
                p.add(e.line(), name + ": each event of a sequence must be a map, not " + Nodes.describe(e));
                return Optional.empty();
            }
        }
        return Optional.of(out);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> event(YamlNode.Mapping m) {
        return (Map<String, Object>) m.toPlain();
    }
}
