package io.mcpaudit.rules.quality;

import io.mcpaudit.rules.LoadResult;
import io.mcpaudit.rules.RuleLoader;
import java.nio.file.Path;

/**
 * Prints the detection-quality report: recall per category and split, false positives, and
 * every miss and false alarm. Run from the module directory:
 * {@code ../mvnw -q -o test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.mcpaudit.rules.quality.DetectionQualityReport}
 * (optional arguments: rules directory, corpus directory).
 */
public final class DetectionQualityReport {
    private DetectionQualityReport() {
    }

    public static void main(String[] args) {
        Path rules = Path.of(args.length > 0 ? args[0] : "rules");
        Path corpusDir = args.length > 1 ? Path.of(args[1]) : Corpus.DEFAULT_DIR;
        LoadResult loaded = new RuleLoader().load(rules);
        if (!loaded.ok()) {
            System.err.println("The rule pack has problems; fix them first:");
            loaded.problems().forEach(p -> System.err.println("  " + p));
            System.exit(2);
        }
        Corpus corpus = Corpus.load(corpusDir);
        if (!corpus.problems().isEmpty()) {
            System.err.println("The corpus has problems; fix them first:");
            corpus.problems().forEach(p -> System.err.println("  " + p));
            System.exit(2);
        }
        DetectionQuality quality = new DetectionQuality(loaded.ruleSet());
        System.out.print(DetectionQuality.render(quality.run(corpus.samples()), quality.rules().size()));
    }
}
