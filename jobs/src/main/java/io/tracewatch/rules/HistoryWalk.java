package io.tracewatch.rules;

import io.tracewatch.model.ScanEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks one code's history in event-time order and collects what every rule finds on every event,
 * each judged on the state before that event. The same walk over the same events gives the same
 * findings, whatever order the events arrived in.
 */
public final class HistoryWalk {
    private final List<Rule> rules;

    public HistoryWalk(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * The contract's rules: the three of scan-events.md, UNLICENSED_CHANNEL, which judges only with a
     * register, and the three of lifecycle.md (RECALLED_PACK judges only with a recall list).
     */
    public static HistoryWalk standard() {
        return new HistoryWalk(List.of(
                new DuplicateSaleRule(),
                new ImpossibleRouteRule(),
                new PostDispenseResaleRule(),
                new UnlicensedChannelRule(),
                new DestroyedPackRule(),
                new ExpiredPackRule(),
                new RecalledPackRule()));
    }

    public List<Rule> rules() {
        return rules;
    }

    /**
     * The findings of every enabled rule on every event, each event judged with the settings that
     * apply at its event time. A rule not enabled raises nothing, but the walk goes on as if it were:
     * a resale or a destroyed pack it would have flagged has used its firing (contract
     * reference-data.md). A duplicate sale's cause is judged once its trigger is applied.
     *
     * @param history distinct events in (event_time, event_id) order
     */
    public List<Finding> findings(List<ScanEvent> history, Reference reference) {
        return walk(new PackState(), null, history, reference).findings();
    }

    /** What a walk found, and its state after the last event. */
    public record Walked(List<Finding> findings, PackState end) {}

    /**
     * Walks on from {@code start}, as {@link #findings} does from a new state.
     *
     * @param start the state before the events: a sealed code's, or a new one
     * @param placedFrom the newest event_time of the seal {@code start} came from, or null: an event
     *     before it is not placed in order ({@link Judging#placed()}) and does not move the last
     *     located scan
     * @param events distinct events in (event_time, event_id) order
     */
    public Walked walk(PackState start, Instant placedFrom, List<ScanEvent> events, Reference reference) {
        PackState state = start;
        List<Finding> findings = new ArrayList<>();
        for (ScanEvent event : events) {
            boolean placed = placedFrom == null || !event.getEventTime().isBefore(placedFrom);
            Judging context = new Judging(reference.settings(event.getEventTime()), reference, placed);
            boolean flaggedResale = false;
            boolean flaggedDestroyed = false;
            int first = findings.size();
            for (Rule rule : rules) {
                Finding finding = rule.judge(state, event, context);
                if (finding != null) {
                    flaggedResale |= finding.rule() == RuleId.POST_DISPENSE_RESALE;
                    flaggedDestroyed |= finding.rule() == RuleId.DESTROYED_PACK;
                    if (context.settings().enabled(rule.id())) {
                        findings.add(finding);
                    }
                }
            }
            state.apply(event, flaggedResale, flaggedDestroyed, placed ? Locations.of(event, reference) : null);
            for (int i = first; i < findings.size(); i++) {
                if (findings.get(i) instanceof Finding.DuplicateSale duplicate) {
                    findings.set(i, duplicate.withCause(DuplicateCause.of(state)));
                }
            }
        }
        return new Walked(findings, state);
    }
}
