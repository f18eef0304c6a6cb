package io.mcpaudit.rules.extension;

import java.util.List;
import java.util.Map;

/** One inline test: a single event, or a sequence of events for stateful rules. */
public record TestCase(String name, List<Map<String, Object>> events, int line) {
    public TestCase {
        events = List.copyOf(events);
    }
}
