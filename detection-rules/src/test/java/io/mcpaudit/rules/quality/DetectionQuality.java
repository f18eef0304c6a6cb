package io.mcpaudit.rules.quality;

import io.mcpaudit.rules.RuleSet;
import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.extension.Category;
import io.mcpaudit.rules.extension.Severity;
import io.mcpaudit.rules.quality.CorpusSample.Split;
import io.mcpaudit.rules.sigma.CompiledRule;
import io.mcpaudit.rules.sigma.RuleMatch;
import io.mcpaudit.rules.sigma.match.Hit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Runs every stateless alerting rule of a rule set over the labelled corpus and measures, per
 * category and split, recall (attack samples that raise an alert of their own category) and
 * false positives (benign samples that raise any alert).
 */
public final class DetectionQuality {
    private final List<CompiledRule> rules;

    /** One alert a sample raised. */
    public record SampleAlert(String ruleId, String title, String category, Severity severity, String hit) {
    }

    /** What the rules said about one sample. */
    public record Outcome(CorpusSample sample, List<SampleAlert> alerts) {
        /** An attack raised an alert of its own category. */
        public boolean detected() {
            return alerts.stream().anyMatch(a -> a.category().equals(sample.label()));
        }

        public boolean alerted() {
            return !alerts.isEmpty();
        }

        public boolean alertedAtLeast(Severity s) {
            return alerts.stream().anyMatch(a -> a.severity().compareTo(s) >= 0);
        }
    }

    /** Recall of one category on one split. */
    public record Recall(String label, Split split, int samples, int detected) {
        public double rate() {
            return samples == 0 ? 0 : (double) detected / samples;
        }
    }

    /** False positives on the benign samples of one split. */
    public record FalsePositives(Split split, int samples, int anyAlert, int highOrCritical) {
        public double rate() {
            return samples == 0 ? 0 : (double) anyAlert / samples;
        }

        public double highRate() {
            return samples == 0 ? 0 : (double) highOrCritical / samples;
        }
    }

    public DetectionQuality(RuleSet ruleSet) {
        this.rules = ruleSet.rules().stream()
                .filter(r -> r.hasDetection() && r.extension().detector().isEmpty() && !r.extension().isStateful())
                .filter(r -> ruleSet.isStandalone(r.id()) && r.category().isPresent())
                .toList();
    }

    /** The stateless alerting rules measured. */
    public List<CompiledRule> rules() {
        return rules;
    }

    public List<Outcome> run(List<CorpusSample> samples) {
        List<Outcome> out = new ArrayList<>(samples.size());
        for (CorpusSample s : samples) {
            out.add(evaluate(s));
        }
        return out;
    }

    public Outcome evaluate(CorpusSample s) {
        if (rules.isEmpty()) {
            return new Outcome(s, List.of());
        }
        RuleEvent event = rules.get(0).event(event(s));
        List<SampleAlert> alerts = new ArrayList<>();
        for (CompiledRule r : rules) {
            Optional<RuleMatch> m = r.evaluate(event);
            if (m.isPresent()) {
                String hit = m.get().hits().stream().findFirst().map(Hit::excerpt).orElse("");
                alerts.add(new SampleAlert(r.id(), r.title(), r.category().map(Category::id).orElse(""), r.severity(), hit));
            }
        }
        return new Outcome(s, List.copyOf(alerts));
    }

    /**
     * The document a sample stands for: its text in its field, plus the fields the pipeline sets
     * on such an event (method, direction, and for launches the argument list).
     */
    public static Map<String, Object> event(CorpusSample s) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("@timestamp", "2026-01-01T00:00:00Z");
        e.put("event.id", s.id());
        e.put("mcp.session.id", "corpus");
        switch (s.field()) {
            case "mcp.content.text" -> {
                e.put("mcp.method.name", "tools/call");
                e.put("mcp.direction", "server_to_client");
            }
            case "mcp.tool.description", "mcp.tool.input_schema" -> {
                e.put("mcp.method.name", "tools/list");
                e.put("mcp.direction", "server_to_client");
                e.put("gen_ai.tool.name", "sample_tool");
            }
            case "mcp.server.instructions" -> {
                e.put("mcp.method.name", "initialize");
                e.put("mcp.direction", "server_to_client");
            }
            case "mcp.tool.arguments" -> {
                e.put("mcp.method.name", "tools/call");
                e.put("mcp.direction", "client_to_server");
                e.put("gen_ai.tool.name", "sample_tool");
            }
            case "mcp.resource.uri" -> {
                e.put("mcp.method.name", "resources/read");
                e.put("mcp.direction", "client_to_server");
            }
            case "process.command_line" -> {
                e.put("event.action", "server-launched");
                e.put("process.args", shellWords(s.text()));
            }
            default -> {
            }
        }
        e.put(s.field(), s.text());
        return e;
    }

    /** Splits a command line into words the way a POSIX shell would for simple quoting. */
    static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(cur.toString());
        }
        return words;
    }

    public static List<Recall> recall(List<Outcome> outcomes) {
        List<Recall> out = new ArrayList<>();
        for (String label : CorpusSample.ATTACK_LABELS) {
            for (Split split : Split.values()) {
                List<Outcome> of = filter(outcomes, o -> o.sample().label().equals(label) && o.sample().split() == split);
                out.add(new Recall(label, split, of.size(), (int) of.stream().filter(Outcome::detected).count()));
            }
        }
        return out;
    }

    public static Recall recall(List<Outcome> outcomes, String label, Split split) {
        return recall(outcomes).stream().filter(r -> r.label().equals(label) && r.split() == split).findFirst().orElseThrow();
    }

    public static FalsePositives falsePositives(List<Outcome> outcomes, Split split) {
        List<Outcome> of = filter(outcomes, o -> o.sample().benign() && o.sample().split() == split);
        return new FalsePositives(split, of.size(), (int) of.stream().filter(Outcome::alerted).count(),
                (int) of.stream().filter(o -> o.alertedAtLeast(Severity.HIGH)).count());
    }

    private static List<Outcome> filter(List<Outcome> outcomes, Predicate<Outcome> p) {
        return outcomes.stream().filter(p).toList();
    }

    /** The whole report as text: figures per category and split, false positives, every miss and every false alarm. */
    public static String render(List<Outcome> outcomes, int ruleCount) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Detection quality: %d stateless alerting rules, %d samples%n%n", ruleCount, outcomes.size()));
        b.append(String.format(Locale.ROOT, "%-18s %-8s %8s %8s %8s%n", "category", "split", "samples", "detected", "recall"));
        for (Recall r : recall(outcomes)) {
            b.append(String.format(Locale.ROOT, "%-18s %-8s %8d %8d %7.1f%%%n", r.label(), r.split().id(), r.samples(), r.detected(), 100 * r.rate()));
        }
        for (Split split : Split.values()) {
            List<Outcome> attacks = filter(outcomes, o -> !o.sample().benign() && o.sample().split() == split);
            long det = attacks.stream().filter(Outcome::detected).count();
            b.append(String.format(Locale.ROOT, "%-18s %-8s %8d %8d %7.1f%%%n", "all attacks", split.id(), attacks.size(), det,
                    attacks.isEmpty() ? 0 : 100.0 * det / attacks.size()));
        }
        b.append(String.format(Locale.ROOT, "%n%-18s %-8s %8s %8s %8s %10s %8s%n", "benign", "split", "samples", "alerted", "FP rate", "high/crit", "rate"));
        for (Split split : Split.values()) {
            FalsePositives f = falsePositives(outcomes, split);
            b.append(String.format(Locale.ROOT, "%-18s %-8s %8d %8d %7.1f%% %10d %7.1f%%%n", "", split.id(), f.samples(), f.anyAlert(),
                    100 * f.rate(), f.highOrCritical(), 100 * f.highRate()));
        }
        b.append(String.format(Locale.ROOT, "%nAlerts per rule (attack samples of the rule's category / other attacks / benign):%n"));
        Map<String, int[]> perRule = new LinkedHashMap<>();
        Map<String, String> titles = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            for (SampleAlert a : o.alerts()) {
                int[] c = perRule.computeIfAbsent(a.ruleId(), k -> new int[3]);
                titles.put(a.ruleId(), a.category() + " / " + a.title());
                c[o.sample().benign() ? 2 : a.category().equals(o.sample().label()) ? 0 : 1]++;
            }
        }
        perRule.forEach((id, c) -> b.append(String.format(Locale.ROOT, "  %4d %4d %4d  %s%n", c[0], c[1], c[2], titles.get(id))));
        b.append(String.format(Locale.ROOT, "%nMissed attacks:%n"));
        for (Outcome o : outcomes) {
            if (!o.sample().benign() && !o.detected()) {
                CorpusSample s = o.sample();
                String other = o.alerts().isEmpty() ? "" : " [alerted as " + o.alerts().stream().map(SampleAlert::category).distinct().toList() + "]";
                b.append(String.format(Locale.ROOT, "  %-10s %-7s %-16s %s: %s — %s%s%n", s.id(), s.split().id(), s.label(), s.field(),
                        s.source(), excerpt(s.text()), other));
            }
        }
        b.append(String.format(Locale.ROOT, "%nFalse positives on benign samples:%n"));
        for (Outcome o : outcomes) {
            if (o.sample().benign() && o.alerted()) {
                CorpusSample s = o.sample();
                for (SampleAlert a : o.alerts()) {
                    b.append(String.format(Locale.ROOT, "  %-10s %-7s %-8s %s (%s) on %s: %s — \"%s\"%n", s.id(), s.split().id(), a.severity().id(),
                            a.title(), a.category(), s.field(), s.source(), a.hit()));
                }
            }
        }
        return b.toString();
    }

    private static String excerpt(String text) {
        String t = text.replaceAll("\\s+", " ");
        StringBuilder b = new StringBuilder();
        t.codePoints().limit(90).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f || (cp >= 0x200b && cp <= 0x206f) || cp >= 0xe0000 || (cp >= 0xfe00 && cp <= 0xfe0f)) {
                b.append(String.format(Locale.ROOT, "\\u{%x}", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b + (t.codePointCount(0, t.length()) > 90 ? "…" : "");
    }
}
