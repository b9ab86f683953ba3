package io.tracewatch.rules;

import io.tracewatch.model.EventType;
import io.tracewatch.model.ScanEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The chain of custody of one code, as the walk of the contract's "Precise semantics" keeps it. */
public final class Custody {
    private Custody() {}

    /**
     * The upstream holders (contract cases.md, verification): the distinct holders, in walk order,
     * set by the events before the first consumption; all of them when the pack was never consumed.
     *
     * @param history distinct events in (event_time, event_id) order
     */
    public static List<String> upstreamHolders(List<ScanEvent> history) {
        PackState state = new PackState();
        Set<String> holders = new LinkedHashSet<>();
        for (ScanEvent event : history) {
            EventType type = event.getEventType();
            if (type == EventType.SELL || type == EventType.DISPENSE || type == EventType.SETTLE) {
                break;
            }
            state.apply(event, false);
            if (state.holder() != null) {
                holders.add(state.holder());
            }
        }
        return new ArrayList<>(holders);
    }
}
