package io.mcpaudit.rules.extension;

import java.util.Locale;
import java.util.Optional;

/** Alert severity; a rule's Sigma {@code level} maps onto it unless {@code mcpaudit.severity} overrides. */
public enum Severity {
    LOW, MEDIUM, HIGH, CRITICAL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Severity> fromId(String id) {
        for (Severity s : values()) {
            if (s.id().equals(id)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Sigma levels: informational and low become low, the others keep their name. */
    public static Optional<Severity> fromSigmaLevel(String level) {
        if ("informational".equals(level)) {
            return Optional.of(LOW);
        }
        return fromId(level);
    }
}
