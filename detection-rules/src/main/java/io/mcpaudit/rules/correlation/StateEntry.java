package io.mcpaudit.rules.correlation;

import java.util.List;

/**
 * One remembered occurrence in a state record.
 *
 * @param rule which referenced rule it was (index into the correlation's rules, or a tag)
 * @param time event time in epoch milliseconds
 * @param step the group's event counter when it happened (for step-bounded spans)
 * @param eventIds the evidence event ids
 * @param value the counted value (value_count) or term, else null
 * @param session the session of the event, so an alert raised later can name it
 */
public record StateEntry(int rule, long time, long step, List<String> eventIds, String value, String session) {
    public StateEntry {
        eventIds = List.copyOf(eventIds);
    }
}
