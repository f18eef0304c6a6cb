package io.mcpaudit.rules.bench;

import io.mcpaudit.rules.RuleSet;
import io.mcpaudit.rules.content.ContentNormalizer;
import io.mcpaudit.rules.content.NormalizedContent;
import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.sigma.CompiledRule;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the stateless rule pack, one thread: events per second over a session-shaped
 * stream, and content scanning (normalization plus every rule) over large tool results.
 * Run with {@link RuleEngineBenchmarks}; results and method are in docs/benchmarks.md.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RuleEngineBenchmark {
    static final int EVENTS = 2_000;

    /** The stateless alerting pack as the engine evaluates it on every event. */
    @State(Scope.Benchmark)
    public static class Pack {
        List<CompiledRule> rules;

        @Setup(Level.Trial)
        public void load() {
            RuleSet set = BenchmarkData.rules();
            rules = set.rules().stream()
                    .filter(r -> r.hasDetection() && r.extension().detector().isEmpty())
                    .toList();
        }

        int evaluate(Map<String, Object> source) {
            RuleEvent event = rules.get(0).event(source);
            int matches = 0;
            for (CompiledRule r : rules) {
                if (r.evaluate(event).isPresent()) {
                    matches++;
                }
            }
            return matches;
        }
    }

    @State(Scope.Benchmark)
    public static class SessionStream {
        List<Map<String, Object>> events;

        @Setup(Level.Trial)
        public void build() {
            events = BenchmarkData.sessionMix(EVENTS, 1);
        }
    }

    @State(Scope.Benchmark)
    public static class LargeResult {
        @Param({"65536", "1048576"})
        public int chars;
        Map<String, Object> event;
        String text;
        long utf8Bytes;

        @Setup(Level.Trial)
        public void build() {
            text = BenchmarkData.largeBenignText(chars);
            utf8Bytes = text.getBytes(StandardCharsets.UTF_8).length;
            event = new LinkedHashMap<>();
            event.put("@timestamp", "2026-01-01T00:00:00Z");
            event.put("event.id", "large");
            event.put("mcp.session.id", "s");
            event.put("mcp.method.name", "tools/call");
            event.put("mcp.direction", "server_to_client");
            event.put("mcp.content.text", text);
        }
    }

    /** Events per second through every stateless rule (ops/s × 2,000). */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void sessionEvents(Pack pack, SessionStream stream, Blackhole bh) {
        for (Map<String, Object> e : stream.events) {
            bh.consume(pack.evaluate(e));
        }
    }

    /** One large tool result through every stateless rule; MB/s = ops/s × size. */
    @Benchmark
    public int contentScan(Pack pack, LargeResult large) {
        return pack.evaluate(large.event);
    }

    /** Normalization alone on the same text, to separate its cost from matching. */
    @Benchmark
    public NormalizedContent normalizeOnly(LargeResult large) {
        return new ContentNormalizer().normalize(large.text);
    }
}
