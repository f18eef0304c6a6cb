package io.mcpaudit.rules.yaml;

/** A YAML file that cannot be read at all; carries the line the parser stopped at. */
public final class YamlSyntaxException extends Exception {
    private final int line;

    public YamlSyntaxException(String message, int line, Throwable cause) {
        super(message, cause);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
