package io.tracewatch.detect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Codes a stalled watermark's wait judged past the watermark, with how far (milliseconds): an
 * earlier upload of theirs is late, merged and judged at once rather than buffered. A code is
 * forgotten once the watermark passes that far, and the oldest first past {@code capacity} codes.
 * Not checkpointed: after a restore such an upload is still judged as late, only when its own wait
 * ends.
 */
final class JudgedAhead {
    private final Map<String, Long> throughMs;

    JudgedAhead(int capacity) {
        this.throughMs = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > capacity;
            }
        };
    }

    void judged(String code, long judgedThroughMs) {
        throughMs.put(code, judgedThroughMs);
    }

    /** Whether the code was judged through {@code eventTimeMs} or later. */
    boolean covers(String code, long eventTimeMs) {
        return eventTimeMs <= throughMs.getOrDefault(code, Long.MIN_VALUE);
    }

    /** The watermark moved to {@code watermarkMs}: codes it has caught up with need no longer be remembered. */
    void watermarkAt(long watermarkMs) {
        if (!throughMs.isEmpty()) {
            throughMs.values().removeIf(through -> through <= watermarkMs);
        }
    }
}
