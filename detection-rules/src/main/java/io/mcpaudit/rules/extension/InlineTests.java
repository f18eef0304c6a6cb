package io.mcpaudit.rules.extension;

import java.util.List;

/** A rule's own tests: cases that must raise an alert and look-alikes that must not. */
public record InlineTests(List<TestCase> truePositives, List<TestCase> trueNegatives) {
    public static final InlineTests NONE = new InlineTests(List.of(), List.of());

    public InlineTests {
        truePositives = List.copyOf(truePositives);
        trueNegatives = List.copyOf(trueNegatives);
    }

    public boolean isEmpty() {
        return truePositives.isEmpty() && trueNegatives.isEmpty();
    }
}
