package io.tracewatch.rules;

import io.tracewatch.model.ScanEvent;
import java.util.Comparator;

/** The order every history is judged in: (event_time, event_id). */
public final class Events {
    public static final Comparator<ScanEvent> EVENT_TIME_ORDER =
            Comparator.comparing(ScanEvent::getEventTime).thenComparing(ScanEvent::getEventId);

    private Events() {}

    public static boolean hasLocation(ScanEvent event) {
        return event.getLat() != null && event.getLon() != null;
    }
}
