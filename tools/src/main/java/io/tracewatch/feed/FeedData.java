package io.tracewatch.feed;

/**
 * What the feed holds in memory, each part filled by a follower of its topic: the most recent
 * alerts, the cases, the leads sent to insurance, and the party register.
 */
public record FeedData(AlertWindow alerts, CaseBoard cases, LeadBook leads, PartyBook parties, java.util.function.BooleanSupplier connected) {

    /** Nothing yet, and a source that is always reachable. */
    public static FeedData empty(int alertWindow) {
        return empty(alertWindow, () -> true);
    }

    /** @param connected whether the topics behind the data can be read now */
    public static FeedData empty(int alertWindow, java.util.function.BooleanSupplier connected) {
        return new FeedData(new AlertWindow(alertWindow), new CaseBoard(), new LeadBook(), new PartyBook(), connected);
    }
}
