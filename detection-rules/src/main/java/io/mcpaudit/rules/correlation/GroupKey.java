package io.mcpaudit.rules.correlation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpaudit.rules.event.FieldPath;
import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.event.ValueText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The values of the group-by fields of one event, and the state key they form. */
public record GroupKey(List<String> fields, List<String> values) {
    /** Thread-safe once built; used only to write plain string lists. */
    private static final ObjectMapper JSON = new ObjectMapper();

    public GroupKey {
        fields = List.copyOf(fields);
        values = java.util.Collections.unmodifiableList(new ArrayList<>(values));
    }

    /**
     * Reads {@code fields} from the event; {@code actualField} maps a group-by name to the event
     * field it stands for (correlation aliases). A missing field groups under null.
     */
    public static GroupKey of(RuleEvent event, List<String> fields, java.util.function.UnaryOperator<String> actualField) {
        List<String> values = new ArrayList<>();
        for (String f : fields) {
            values.add(first(event, actualField.apply(f)));
        }
        return new GroupKey(fields, values);
    }

    public static String first(RuleEvent event, String field) {
        for (Object v : event.carried(FieldPath.of(field)).values()) {
            if (v != null) {
                return ValueText.of(v);
            }
        }
        return null;
    }

    /** {@code prefix|ruleId|["v1","v2"]}: stable, and unambiguous whatever the values contain. */
    public String stateKey(String prefix, String ruleId) {
        try {
            return prefix + "|" + ruleId + "|" + JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The group as a flat event, for alerts raised when a window closes without a current event. */
    public Map<String, Object> asEvent() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            m.put(fields.get(i), values.get(i));
        }
        return m;
    }

    /** Parses the group values back out of a state key written by {@link #stateKey}. */
    public static List<String> valuesOf(String stateKey) {
        int second = stateKey.indexOf('|', stateKey.indexOf('|') + 1);
        try {
            String[] v = JSON.readValue(stateKey.substring(second + 1), String[].class);
            return java.util.Arrays.asList(v);
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(fields.get(i)).append('=').append(values.get(i));
        }
        return b.toString();
    }
}
