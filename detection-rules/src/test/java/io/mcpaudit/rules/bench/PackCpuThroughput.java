package io.mcpaudit.rules.bench;

import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.sigma.CompiledRule;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The same two workloads as {@link RuleEngineBenchmark} (session mix, 64 KiB tool result), timed
 * in the thread's CPU time instead of wall-clock time. On a machine shared with other builds JMH's
 * wall-clock scores swing by ±50 % or more; CPU time is steadier, so this is the tool for telling
 * whether a change to the engine or the pack helped. Not a test; run it by hand from
 * {@code detection-rules/} (see docs/benchmarks.md).
 */
public final class PackCpuThroughput {
    private static final double SECONDS_PER_ROUND = 4;

    private PackCpuThroughput() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("--per-rule")) {
            perRule();
            return;
        }
        List<CompiledRule> rules = BenchmarkData.rules().rules().stream()
                .filter(r -> r.hasDetection() && r.extension().detector().isEmpty())
                .toList();
        List<Map<String, Object>> events = BenchmarkData.sessionMix(RuleEngineBenchmark.EVENTS, 1);
        Map<String, Object> large = new LinkedHashMap<>();
        large.put("mcp.method.name", "tools/call");
        large.put("mcp.direction", "server_to_client");
        large.put("mcp.content.text", BenchmarkData.largeBenignText(65_536));
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        for (int round = 1; round <= rounds; round++) {
            long start = cpu.getCurrentThreadCpuTime();
            long n = 0;
            while (cpu.getCurrentThreadCpuTime() - start < SECONDS_PER_ROUND * 1e9) {
                for (Map<String, Object> e : events) {
                    evaluate(rules, e);
                    n++;
                }
            }
            double mix = n / ((cpu.getCurrentThreadCpuTime() - start) / 1e9);
            start = cpu.getCurrentThreadCpuTime();
            n = 0;
            while (cpu.getCurrentThreadCpuTime() - start < SECONDS_PER_ROUND * 1e9) {
                evaluate(rules, large);
                n++;
            }
            double mbs = n * 65_536 / ((cpu.getCurrentThreadCpuTime() - start) / 1e9) / 1e6;
            // The first rounds include JIT warm-up; read the last ones.
            System.out.printf(Locale.ROOT, "round %d: %d rules, session mix %,.0f events per CPU-second, 64 KiB result %.2f MB per CPU-second%n",
                    round, rules.size(), mix, mbs);
        }
    }

    /**
     * CPU time each rule spends on the session mix (after a warm-up pass over all rules), most
     * expensive first: where to look when the pack gets slower.
     */
    private static void perRule() {
        List<CompiledRule> rules = BenchmarkData.rules().rules().stream()
                .filter(r -> r.hasDetection() && r.extension().detector().isEmpty())
                .toList();
        List<Map<String, Object>> events = BenchmarkData.sessionMix(RuleEngineBenchmark.EVENTS, 1);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long warmUntil = cpu.getCurrentThreadCpuTime() + 8_000_000_000L;
        while (cpu.getCurrentThreadCpuTime() < warmUntil) {
            events.forEach(e -> evaluate(rules, e));
        }
        // Each rule on its own event copies: per-event caches (normalized text, lower case) are
        // filled once per pass outside the timed section, as every rule after the first sees them.
        Map<String, Long> nanos = new LinkedHashMap<>();
        for (int pass = 0; pass < 3; pass++) {
            List<RuleEvent> prepared = events.stream().map(e -> {
                RuleEvent event = rules.get(0).event(e);
                rules.forEach(r -> r.evaluate(event));
                return event;
            }).toList();
            for (CompiledRule r : rules) {
                long start = cpu.getCurrentThreadCpuTime();
                prepared.forEach(r::evaluate);
                nanos.merge(r.id() + " " + r.title(), cpu.getCurrentThreadCpuTime() - start, Long::sum);
            }
        }
        long total = nanos.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(Locale.ROOT, "%d rules, %d events × 3 passes, rules alone: %,.0f events per CPU-second%n",
                rules.size(), events.size(), events.size() * 3 / (total / 1e9));
        nanos.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> System.out.printf(Locale.ROOT, "%6.1f %%  %8.2f µs/event  %s%n",
                        100.0 * e.getValue() / total, e.getValue() / 1e3 / (events.size() * 3), e.getKey()));
    }

    private static void evaluate(List<CompiledRule> rules, Map<String, Object> source) {
        RuleEvent event = rules.get(0).event(source);
        for (CompiledRule r : rules) {
            r.evaluate(event);
        }
    }
}
