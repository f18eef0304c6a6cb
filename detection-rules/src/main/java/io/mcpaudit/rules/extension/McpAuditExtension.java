package io.mcpaudit.rules.extension;

import java.util.Optional;

/** The {@code mcpaudit:} block of a rule: what Sigma has no words for. */
public record McpAuditExtension(
        Optional<Category> category,
        Optional<Severity> severity,
        Optional<Dedup> dedup,
        Optional<FirstSeen> firstSeen,
        Optional<SequenceSpan> absence,
        Optional<SequenceSpan> ordering,
        Optional<DetectorSpec> detector,
        InlineTests tests,
        int line) {

    public static final McpAuditExtension NONE = new McpAuditExtension(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), InlineTests.NONE, 0);

    /** The severity to alert with: the override, else the Sigma level mapped, else medium. */
    public Severity severityFor(String sigmaLevel) {
        return severity.or(() -> Severity.fromSigmaLevel(sigmaLevel)).orElse(Severity.MEDIUM);
    }

    /** Whether the rule needs state across events (evaluated by the stateful engine). */
    public boolean isStateful() {
        return firstSeen.isPresent() || absence.isPresent() || ordering.isPresent();
    }
}
