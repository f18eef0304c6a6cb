package io.mcpaudit.rules.bench;

import io.mcpaudit.rules.LoadResult;
import io.mcpaudit.rules.RuleLoader;
import io.mcpaudit.rules.RuleSet;
import io.mcpaudit.rules.quality.Corpus;
import io.mcpaudit.rules.quality.CorpusSample;
import io.mcpaudit.rules.quality.DetectionQuality;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The inputs of the rule-engine benchmarks, built from the detection-quality corpus so that the
 * text is real tool output and real tool metadata rather than random words.
 */
final class BenchmarkData {
    private BenchmarkData() {
    }

    /** The module directory, whether run from it (surefire, exec in the module) or from the repository root. */
    static Path moduleDir() {
        for (Path p : List.of(Path.of("."), Path.of("detection-rules"))) {
            if (Files.isDirectory(p.resolve("rules")) && Files.isDirectory(p.resolve("src/test/resources/corpus"))) {
                return p;
            }
        }
        throw new IllegalStateException("run the benchmarks from the repository root or from detection-rules/ "
                + "(looked for rules/ and src/test/resources/corpus/ in " + Path.of("").toAbsolutePath() + ")");
    }

    static RuleSet rules() {
        LoadResult r = new RuleLoader().load(moduleDir().resolve("rules"));
        if (!r.ok()) {
            throw new IllegalStateException("rule pack has problems: " + r.problems());
        }
        return r.ruleSet();
    }

    static List<CorpusSample> corpus() {
        Corpus c = Corpus.load(moduleDir().resolve(Corpus.DEFAULT_DIR));
        if (!c.problems().isEmpty()) {
            throw new IllegalStateException("corpus has problems: " + c.problems());
        }
        return c.samples();
    }

    /**
     * A stream of events in the proportions of an MCP session: 45 % tool results, 35 % tool calls,
     * 10 % protocol messages without untrusted text (progress, pings, initialize), 5 % tools/list
     * (every tool of one server in one event, as the indexer writes it), 3 % launches, 2 % attacks.
     */
    static List<Map<String, Object>> sessionMix(int n, long seed) {
        List<CorpusSample> all = corpus();
        List<CorpusSample> results = of(all, "benign", "mcp.content.text");
        List<CorpusSample> calls = of(all, "benign", "mcp.tool.arguments");
        List<CorpusSample> launches = of(all, "benign", "process.command_line");
        List<CorpusSample> attacks = all.stream().filter(s -> !s.benign()).toList();
        List<Map<String, Object>> toolLists = toolLists(all);
        Random rnd = new Random(seed);
        List<Map<String, Object>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int k = rnd.nextInt(100);
            Map<String, Object> e;
            if (k < 45) {
                e = DetectionQuality.event(pick(results, rnd));
            } else if (k < 80) {
                e = DetectionQuality.event(pick(calls, rnd));
            } else if (k < 90) {
                e = new LinkedHashMap<>();
                e.put("@timestamp", "2026-01-01T00:00:00Z");
                e.put("mcp.method.name", rnd.nextBoolean() ? "notifications/progress" : "ping");
                e.put("mcp.direction", "server_to_client");
                e.put("mcp.session.id", "s" + rnd.nextInt(50));
            } else if (k < 95) {
                e = new LinkedHashMap<>(toolLists.get(rnd.nextInt(toolLists.size())));
            } else if (k < 98) {
                e = DetectionQuality.event(pick(launches, rnd));
            } else {
                e = DetectionQuality.event(pick(attacks, rnd));
            }
            e.put("event.id", "e" + i);
            out.add(e);
        }
        return out;
    }

    /** One tools/list event per recorded server: all its descriptions and schemas as lists. */
    private static List<Map<String, Object>> toolLists(List<CorpusSample> all) {
        Map<String, List<String>> desc = new LinkedHashMap<>();
        Map<String, List<String>> schema = new LinkedHashMap<>();
        for (CorpusSample s : all) {
            if (!s.benign() || !s.source().startsWith("recorded from ")) {
                continue;
            }
            String server = s.source().substring("recorded from ".length()).split(" ")[0];
            if (s.field().equals("mcp.tool.description")) {
                desc.computeIfAbsent(server, x -> new ArrayList<>()).add(s.text());
            } else if (s.field().equals("mcp.tool.input_schema")) {
                schema.computeIfAbsent(server, x -> new ArrayList<>()).add(s.text());
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        desc.forEach((server, d) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("@timestamp", "2026-01-01T00:00:00Z");
            e.put("mcp.method.name", "tools/list");
            e.put("mcp.direction", "server_to_client");
            e.put("mcp.session.id", "s-" + server);
            e.put("server.name", server);
            e.put("mcp.tool.description", d);
            e.put("mcp.tool.input_schema", schema.getOrDefault(server, List.of()));
            out.add(e);
        });
        return out;
    }

    /**
     * A large tool result without any attack: the corpus's real tool results and benign texts
     * concatenated until {@code bytes} characters, the worst case for scanning (nothing matches
     * early, every rule looks at all of it).
     */
    static String largeBenignText(int chars) {
        List<CorpusSample> texts = of(corpus(), "benign", "mcp.content.text");
        StringBuilder b = new StringBuilder(chars + 8192);
        int i = 0;
        while (b.length() < chars) {
            b.append(texts.get(i++ % texts.size()).text()).append("\n\n");
        }
        b.setLength(chars);
        return b.toString();
    }

    private static List<CorpusSample> of(List<CorpusSample> all, String label, String field) {
        return all.stream().filter(s -> s.label().equals(label) && s.field().equals(field)).toList();
    }

    private static CorpusSample pick(List<CorpusSample> list, Random rnd) {
        return list.get(rnd.nextInt(list.size()));
    }
}
