package io.tracewatch.rules;

import io.tracewatch.model.ScanEvent;
import java.util.ArrayList;
import java.util.List;

/** The chain of custody of one code, as the walk of the contract's "Precise semantics" keeps it. */
public final class Custody {
    private Custody() {}

    /**
     * The upstream holders (contract cases.md, verification): the distinct holders, in walk order,
     * set by the events before the first consumption; all of them when the pack was never consumed.
     *
     * @param start the walk's state before the events: a new one, or a sealed code's
     * @param events distinct events in walk order
     */
    public static List<String> upstreamHolders(PackState start, List<ScanEvent> events) {
        for (ScanEvent event : events) {
            if (start.consumed()) {
                break;
            }
            start.apply(event, false);
        }
        return new ArrayList<>(start.upstream());
    }
}
