package io.mcpaudit.rules.sigma;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The Sigma value modifiers this engine implements. */
public enum Modifier {
    CONTAINS, STARTSWITH, ENDSWITH, ALL, CASED, EXISTS, NEQ,
    RE, I, M, S,
    BASE64, BASE64OFFSET, UTF16LE, UTF16BE, UTF16, WIDE, WINDASH,
    CIDR, LT, LTE, GT, GTE, FIELDREF;

    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Modifier> parse(String token) {
        return Arrays.stream(values()).filter(m -> m.token().equals(token)).findFirst();
    }

    public boolean isNumeric() {
        return this == LT || this == LTE || this == GT || this == GTE;
    }

    public boolean isPosition() {
        return this == CONTAINS || this == STARTSWITH || this == ENDSWITH;
    }

    public boolean isUtf16() {
        return this == UTF16LE || this == UTF16BE || this == UTF16 || this == WIDE;
    }

    public boolean isRegexFlag() {
        return this == I || this == M || this == S;
    }
}
