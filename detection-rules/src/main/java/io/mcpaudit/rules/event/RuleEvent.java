package io.mcpaudit.rules.event;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One event as the rules see it: a JSON-like map plus per-event caches of resolved fields and
 * derived values, so that evaluating many rules against one event resolves each field once.
 * Not thread-safe; create one per event and thread.
 */
public final class RuleEvent {
    private final Map<String, Object> source;
    private final DerivedFields derived;
    private final Map<String, Resolved> resolved = new HashMap<>();
    private final Map<String, Object> memo = new HashMap<>();
    private final IdentityHashMap<String, String> lowerCased = new IdentityHashMap<>();
    private final IdentityHashMap<String, String> caseFolded = new IdentityHashMap<>();
    private final IdentityHashMap<String, TextShape> shapes = new IdentityHashMap<>();
    private final IdentityHashMap<Object, IdentityHashMap<String, Object>> perText = new IdentityHashMap<>();
    private List<String> allStrings;

    /** The values found for a field, and whether the field was present at all (even as null). */
    public record Resolved(boolean present, List<Object> values) {
    }

    public RuleEvent(Map<String, Object> source, DerivedFields derived) {
        this.source = Objects.requireNonNull(source, "source");
        this.derived = Objects.requireNonNull(derived, "derived");
    }

    public Map<String, Object> source() {
        return source;
    }

    /** Values of a field: carried values (lists flattened) plus their alternate forms. */
    public Resolved resolve(FieldPath path) {
        Resolved r = resolved.get(path.name());
        if (r == null) {
            r = compute(path);
            resolved.put(path.name(), r);
        }
        return r;
    }

    /** Only the values the event carries, without derived fields or alternate forms. */
    public Resolved carried(FieldPath path) {
        List<Object> out = new ArrayList<>();
        boolean present = walk(source, path.segments(), 0, out);
        return new Resolved(present, out);
    }

    private Resolved compute(FieldPath path) {
        Optional<List<Object>> d = derived.derive(path.name(), this);
        if (d.isPresent()) {
            return new Resolved(!d.get().isEmpty(), d.get());
        }
        Resolved carried = carried(path);
        if (!carried.present()) {
            return carried;
        }
        List<Object> out = new ArrayList<>(carried.values().size());
        for (Object v : carried.values()) {
            // Objects (tool arguments, input schemas) are matched as their JSON text.
            out.add(v instanceof Map<?, ?> ? ValueText.of(v) : v);
        }
        for (Object v : new ArrayList<>(out)) {
            if (v instanceof String s) {
                for (String alt : derived.alternateForms(path.name(), s, this)) {
                    if (!alt.equals(s)) {
                        out.add(alt);
                    }
                }
            }
        }
        return new Resolved(true, out);
    }

    /** Every string leaf of the event and its alternate forms, for Sigma keyword searches. */
    public List<String> allStrings() {
        if (allStrings == null) {
            List<String> out = new ArrayList<>();
            collectStrings("", source, out);
            allStrings = out;
        }
        return allStrings;
    }

    private void collectStrings(String prefix, Object value, List<String> out) {
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
                collectStrings(key, e.getValue(), out);
            }
        } else if (value instanceof Collection<?> c) {
            for (Object o : c) {
                collectStrings(prefix, o, out);
            }
        } else if (value instanceof String s) {
            out.add(s);
            for (String alt : derived.alternateForms(prefix, s, this)) {
                if (!alt.equals(s)) {
                    out.add(alt);
                }
            }
        } else if (value != null) {
            out.add(String.valueOf(value));
        }
    }

    /** The value lower-cased for case-insensitive matching, computed once per string and event. */
    public String lowerCase(String s) {
        return lowerCased.computeIfAbsent(s, x -> x.toLowerCase(Locale.ROOT));
    }

    /**
     * The value folded for literal prefilters: lower case, with the long s mapped to 's' as
     * regex case folding does, computed once per string and event.
     */
    public String caseFolded(String s) {
        return caseFolded.computeIfAbsent(s, x -> {
            String lower = lowerCase(x);
            return lower.indexOf('\u017f') >= 0 ? lower.replace('\u017f', 's') : lower;
        });
    }

    /**
     * What bounds how far a regex can reach in a value: the longest run of the whitespace RE2
     * means by {@code \\s} (tab, line feed, form feed, carriage return, space), which a
     * {@code \\s+} can take whole, and whether any code point takes two UTF-16 units. Computed
     * once per string and event.
     */
    public record TextShape(int longestWhitespaceRun, boolean surrogates) {
    }

    public TextShape shape(String s) {
        TextShape cached = shapes.get(s);
        if (cached == null) {
            int best = 0;
            int run = 0;
            boolean surrogates = false;
            for (int i = 0, n = s.length(); i < n; i++) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
                    if (++run > best) {
                        best = run;
                    }
                } else {
                    run = 0;
                    surrogates |= Character.isSurrogate(c);
                }
            }
            cached = new TextShape(best, surrogates);
            shapes.put(s, cached);
        }
        return cached;
    }

    /**
     * A value cached for one string of this event on behalf of {@code owner} (for example the
     * literal scan of a rule pack's index), or null.
     */
    public Object perText(Object owner, String s) {
        IdentityHashMap<String, Object> values = perText.get(owner);
        return values == null ? null : values.get(s);
    }

    /** Caches {@code value} for one string of this event on behalf of {@code owner}. */
    public void perText(Object owner, String s, Object value) {
        perText.computeIfAbsent(owner, o -> new IdentityHashMap<>()).put(s, value);
    }

    /** Caches a value computed from this event (for example a normalized text). */
    @SuppressWarnings("unchecked")
    public <T> T memo(String key, Supplier<T> compute) {
        Object v = memo.get(key);
        if (v == null && !memo.containsKey(key)) {
            v = compute.get();
            memo.put(key, v);
        }
        return (T) v;
    }

    /** The first carried string value of a field, if any. */
    public Optional<String> firstString(String field) {
        for (Object v : carried(FieldPath.of(field)).values()) {
            if (v != null) {
                return Optional.of(String.valueOf(v));
            }
        }
        return Optional.empty();
    }

    /** Event time from {@code @timestamp} (RFC 3339 text or epoch milliseconds), else {@code ts}. */
    public Optional<Instant> timestamp() {
        Optional<Instant> t = parseTime(carried(FieldPath.of(EventFields.TIMESTAMP)));
        return t.isPresent() ? t : parseTime(carried(FieldPath.of(EventFields.CAPTURE_TIMESTAMP)));
    }

    public Optional<String> eventId() {
        return firstString(EventFields.EVENT_ID);
    }

    private static Optional<Instant> parseTime(Resolved r) {
        for (Object v : r.values()) {
            if (v instanceof Number n) {
                return Optional.of(Instant.ofEpochMilli(n.longValue()));
            }
            if (v instanceof String s) {
                Instant utc = parseUtc(s);
                if (utc != null) {
                    return Optional.of(utc);
                }
                try {
                    return Optional.of(OffsetDateTime.parse(s).toInstant());
                } catch (DateTimeParseException e) {
                    try {
                        return Optional.of(Instant.parse(s));
                    } catch (DateTimeParseException ignored) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, the shape {@link Instant#toString()} writes and every
     * event document carries; null for any other text, which the general parsers then read. Done
     * by hand because {@code DateTimeFormatter} parsing cost 3 % of the detection pipeline's time.
     */
    static Instant parseUtc(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-'
                || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int digits = n - 21;
            if (s.charAt(19) != '.' || digits < 1) {
                return null;
            }
            int fraction = number(s, 20, n - 1);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = digits; i < 9; i++) {
                nanos *= 10;
            }
        }
        int year = number(s, 0, 4);
        int month = number(s, 5, 7);
        int day = number(s, 8, 10);
        int hour = number(s, 11, 13);
        int minute = number(s, 14, 16);
        int second = number(s, 17, 19);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The decimal number in {@code s[from, to)}, or -1 if a character is not a digit. */
    private static int number(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * Walks {@code node} along {@code segs} from {@code i}, trying every split of the remaining
     * segments into a flat key, so {@code a.b.c} finds {"a.b.c"}, {"a":{"b.c"}} and {"a":{"b":{"c"}}}.
     */
    private static boolean walk(Object node, List<String> segs, int i, List<Object> out) {
        if (node instanceof Collection<?> c) {
            boolean any = false;
            for (Object o : c) {
                any |= walk(o, segs, i, out);
            }
            return any;
        }
        if (!(node instanceof Map<?, ?> map)) {
            return false;
        }
        boolean found = false;
        StringBuilder key = new StringBuilder();
        for (int j = i; j < segs.size(); j++) {
            if (j > i) {
                key.append('.');
            }
            key.append(segs.get(j));
            String k = key.toString();
            if (!map.containsKey(k)) {
                continue;
            }
            Object v = map.get(k);
            if (j == segs.size() - 1) {
                addLeaf(v, out);
                found = true;
            } else {
                found |= walk(v, segs, j + 1, out);
            }
        }
        return found;
    }

    private static void addLeaf(Object v, List<Object> out) {
        if (v instanceof Collection<?> c) {
            for (Object o : c) {
                addLeaf(o, out);
            }
        } else {
            out.add(v);
        }
    }
}
