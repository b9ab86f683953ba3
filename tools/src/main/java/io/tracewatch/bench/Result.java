package io.tracewatch.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** One measured figure: what ran, on how many events, how long it took, and what else was observed. */
public record Result(String group, String name, long events, double seconds, Map<String, Object> details) {

    static Result of(String group, String name, long events, double seconds) {
        return new Result(group, name, events, seconds, new LinkedHashMap<>());
    }

    public double eventsPerSecond() {
        return seconds > 0 ? events / seconds : 0;
    }

    public Result with(String key, Object value) {
        details.put(key, value);
        return this;
    }
}
