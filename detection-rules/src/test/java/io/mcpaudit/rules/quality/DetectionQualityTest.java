package io.mcpaudit.rules.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.rules.LoadResult;
import io.mcpaudit.rules.RuleLoader;
import io.mcpaudit.rules.extension.Severity;
import io.mcpaudit.rules.quality.CorpusSample.Split;
import io.mcpaudit.rules.quality.DetectionQuality.Outcome;
import io.mcpaudit.rules.quality.DetectionQuality.Recall;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Regression floors for the stateless rule pack on the labelled corpus (figures and method in
 * docs/detection-quality.md). The floors sit a little below the last measurement, so a rule
 * change that loses detections or adds loud false alarms fails the build; they are not targets.
 */
class DetectionQualityTest {
    /** Held-out recall floors per category (last measured: 71, 70, 100, 90, 82 %). */
    private static final Map<String, Double> HELDOUT_FLOOR = Map.of(
            "prompt-injection", 0.65, "tool-poisoning", 0.65, "ssrf", 0.95, "secret-exposure", 0.85, "risky-launch", 0.75);
    /** Dev recall floors per category (last measured: 86, 97, 91, 97, 97 %). */
    private static final Map<String, Double> DEV_FLOOR = Map.of(
            "prompt-injection", 0.80, "tool-poisoning", 0.90, "ssrf", 0.85, "secret-exposure", 0.90, "risky-launch", 0.90);
    /** Benign samples known to raise a high alert, each explained in docs/detection-quality.md. */
    private static final Set<String> KNOWN_LOUD_FALSE_POSITIVES = Set.of("bn-h002", "bn-d004");
    private static final double MAX_FALSE_POSITIVE_RATE = 0.03;

    private static Corpus corpus;
    private static List<Outcome> outcomes;

    @BeforeAll
    static void measure() {
        LoadResult loaded = new RuleLoader().load(Path.of("rules"));
        assertThat(loaded.problems()).isEmpty();
        corpus = Corpus.load(Corpus.DEFAULT_DIR);
        outcomes = new DetectionQuality(loaded.ruleSet()).run(corpus.samples());
    }

    @Test
    void corpusIsWellFormedAndLargeEnough() {
        assertThat(corpus.problems()).isEmpty();
        for (String label : CorpusSample.ATTACK_LABELS) {
            assertThat(count(label, Split.DEV)).as("%s dev samples", label).isGreaterThanOrEqualTo(30);
            assertThat(count(label, Split.HELDOUT)).as("%s held-out samples", label).isGreaterThanOrEqualTo(25);
        }
        assertThat(count(CorpusSample.BENIGN, Split.DEV)).isGreaterThanOrEqualTo(250);
        assertThat(count(CorpusSample.BENIGN, Split.HELDOUT)).isGreaterThanOrEqualTo(250);
        long recorded = corpus.samples().stream().filter(s -> s.benign() && s.source().startsWith("recorded from ")).count();
        assertThat(recorded).as("benign samples recorded from real MCP servers").isGreaterThanOrEqualTo(400);
    }

    @Test
    void recallStaysAboveTheFloorOnBothSplits() {
        for (Recall r : DetectionQuality.recall(outcomes)) {
            double floor = (r.split() == Split.HELDOUT ? HELDOUT_FLOOR : DEV_FLOOR).get(r.label());
            assertThat(r.rate()).as("%s recall on %s (%d of %d); misses:%n%s", r.label(), r.split().id(), r.detected(), r.samples(),
                    misses(r)).isGreaterThanOrEqualTo(floor);
        }
    }

    @Test
    void noBenignSampleRaisesAHighAlertBeyondTheKnownOnes() {
        List<String> loud = outcomes.stream()
                .filter(o -> o.sample().benign() && o.alertedAtLeast(Severity.HIGH))
                .filter(o -> !KNOWN_LOUD_FALSE_POSITIVES.contains(o.sample().id()))
                .map(o -> o.sample().id() + " (" + o.sample().source() + "): " + o.alerts())
                .toList();
        assertThat(loud).as("benign samples with high or critical alerts").isEmpty();
    }

    @Test
    void falsePositiveRateStaysLow() {
        for (Split split : Split.values()) {
            DetectionQuality.FalsePositives f = DetectionQuality.falsePositives(outcomes, split);
            assertThat(f.rate()).as("benign %s samples with any alert (%d of %d)", split.id(), f.anyAlert(), f.samples())
                    .isLessThanOrEqualTo(MAX_FALSE_POSITIVE_RATE);
        }
    }

    private static long count(String label, Split split) {
        return corpus.samples().stream().filter(s -> s.label().equals(label) && s.split() == split).count();
    }

    private static String misses(Recall r) {
        return outcomes.stream()
                .filter(o -> o.sample().label().equals(r.label()) && o.sample().split() == r.split() && !o.detected())
                .map(o -> "  " + o.sample().id() + " " + o.sample().source())
                .collect(Collectors.joining("\n"));
    }
}
