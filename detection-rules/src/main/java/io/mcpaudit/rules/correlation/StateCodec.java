package io.mcpaudit.rules.correlation;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Serializes state records (JSON bytes) for stores that hold bytes, such as Kafka state stores. */
public final class StateCodec {
    private final ObjectMapper json = new ObjectMapper();

    public byte[] encode(StateRecord record) {
        try {
            return json.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public StateRecord decode(byte[] bytes) {
        try {
            return json.readValue(bytes, StateRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException("state record is not valid JSON: " + e.getMessage(), e);
        }
    }
}
