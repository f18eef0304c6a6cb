package io.mcpaudit.rules.sigma;

/** A rule element that cannot be compiled, with the line to fix. */
public final class InvalidRuleException extends Exception {
    private final int line;

    public InvalidRuleException(int line, String message) {
        super(message);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
