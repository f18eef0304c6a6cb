package io.mcpaudit.rules.event;

/** The event field names the engine itself reads (time, identity of the event, session). */
public final class EventFields {
    public static final String TIMESTAMP = "@timestamp";
    /** Capture files name the time {@code ts}; accepted when {@code @timestamp} is absent. */
    public static final String CAPTURE_TIMESTAMP = "ts";
    public static final String EVENT_ID = "event.id";
    public static final String SESSION_ID = "mcp.session.id";

    private EventFields() {
    }
}
