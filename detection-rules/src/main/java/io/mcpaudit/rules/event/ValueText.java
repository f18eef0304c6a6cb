package io.mcpaudit.rules.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;

/** The text form string matchers see for a field value (objects become compact JSON). */
public final class ValueText {
    /** Immutable once configured and thread-safe; shared only to avoid re-creating it per value. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private ValueText() {
    }

    public static String of(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Double || v instanceof Float) {
            BigDecimal d = BigDecimal.valueOf(((Number) v).doubleValue()).stripTrailingZeros();
            return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
        }
        if (v instanceof Map<?, ?> || v instanceof Collection<?>) {
            try {
                return JSON.writeValueAsString(v);
            } catch (JsonProcessingException e) {
                return String.valueOf(v);
            }
        }
        return String.valueOf(v);
    }
}
