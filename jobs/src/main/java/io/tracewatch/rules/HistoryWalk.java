package io.tracewatch.rules;

import io.tracewatch.model.ScanEvent;
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

    /** The contract's three rules with the given travel thresholds. */
    public static HistoryWalk standard(double maxSpeedKmh, double locationSlackKm) {
        return new HistoryWalk(List.of(
                new DuplicateSaleRule(),
                new ImpossibleRouteRule(maxSpeedKmh, locationSlackKm),
                new PostDispenseResaleRule()));
    }

    public List<Rule> rules() {
        return rules;
    }

    /**
     * @param history distinct events in (event_time, event_id) order
     */
    public List<Finding> findings(List<ScanEvent> history) {
        PackState state = new PackState();
        List<Finding> findings = new ArrayList<>();
        for (ScanEvent event : history) {
            boolean flaggedResale = false;
            for (Rule rule : rules) {
                Finding finding = rule.judge(state, event);
                if (finding != null) {
                    findings.add(finding);
                    flaggedResale |= finding.rule() == RuleId.POST_DISPENSE_RESALE;
                }
            }
            state.apply(event, flaggedResale);
        }
        return findings;
    }
}
