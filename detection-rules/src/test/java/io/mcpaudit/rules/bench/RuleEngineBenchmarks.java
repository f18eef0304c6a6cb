package io.mcpaudit.rules.bench;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the rule-engine JMH benchmarks and prints events/s and MB/s. From the repository root:
 * <pre>
 * ./mvnw -q -pl detection-rules test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.mcpaudit.rules.bench.RuleEngineBenchmarks [-Dexec.args="PATTERN [-prof gc]"]
 * </pre>
 * Arguments: an include pattern (regex over benchmark names, default all of
 * {@code RuleEngineBenchmark}) and optionally {@code -prof NAME} for a JMH profiler.
 */
public final class RuleEngineBenchmarks {
    private RuleEngineBenchmarks() {
    }

    public static void main(String[] args) throws RunnerException {
        exposeClassPathToForks();
        String include = args.length > 0 && !args[0].startsWith("-") ? args[0] : RuleEngineBenchmark.class.getSimpleName();
        ChainedOptionsBuilder opts = new OptionsBuilder().include(include);
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("-prof")) {
                opts.addProfiler(args[i + 1]);
            }
        }
        Collection<RunResult> results = new Runner(opts.build()).run();
        System.out.println();
        System.out.println("Rule engine, one thread:");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            double score = r.getPrimaryResult().getScore();
            double err = r.getPrimaryResult().getScoreError();
            if (name.endsWith("sessionEvents")) {
                System.out.printf(Locale.ROOT, "  stateless pack, session mix: %,.0f events/s (± %,.0f)%n", score, err);
            } else {
                int chars = Integer.parseInt(r.getParams().getParam("chars"));
                String what = name.endsWith("contentScan") ? "content scan (normalize + all rules)" : "normalization only";
                // The texts are ASCII-dominated; report characters as bytes (1 MB = 10^6).
                System.out.printf(Locale.ROOT, "  %s, %d KiB result: %,.1f MB/s (± %,.1f)%n", what, chars / 1024,
                        score * chars / 1e6, err * chars / 1e6);
            }
        }
    }

    /**
     * JMH forks a JVM with this JVM's {@code java.class.path}; under {@code exec:java} that is
     * Maven's launcher, so hand the forks the class path exec built instead.
     */
    private static void exposeClassPathToForks() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (System.getProperty("java.class.path", "").contains("test-classes") || !(cl instanceof URLClassLoader u)) {
            return;
        }
        List<String> entries = new ArrayList<>();
        for (URL url : u.getURLs()) {
            try {
                entries.add(Path.of(url.toURI()).toString());
            } catch (URISyntaxException | IllegalArgumentException e) {
                entries.add(url.getPath());
            }
        }
        System.setProperty("java.class.path", String.join(File.pathSeparator, entries));
    }
}
