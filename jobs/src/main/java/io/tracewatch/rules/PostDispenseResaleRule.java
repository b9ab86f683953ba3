package io.tracewatch.rules;

import io.tracewatch.model.EventType;
import io.tracewatch.model.ScanEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * POST_DISPENSE_RESALE (回流药): a pack dispensed to a patient or settled by insurance re-enters the
 * supply chain. Fires once, until every dispensed consumption has been reversed and a new one made.
 */
public final class PostDispenseResaleRule implements Rule {
    static final String VERSION = "resale-1";

    @Override
    public RuleId id() {
        return RuleId.POST_DISPENSE_RESALE;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public Finding judge(PackState before, ScanEvent event, Judging context) {
        if (before.resaleFlagged()) {
            return null;
        }
        List<Consumption> dispensed = before.dispensedConsumptions();
        if (dispensed.isEmpty()) {
            return null;
        }
        Consumption reentered = reenteredFrom(dispensed, event);
        if (reentered == null) {
            return null;
        }
        List<ScanEvent> evidence = new ArrayList<>();
        for (Consumption c : dispensed) {
            evidence.addAll(c.events());
        }
        evidence.sort(Events.EVENT_TIME_ORDER);
        int consumptions = (int) before.consumptions().stream().filter(c -> !c.reversed()).count()
                + (before.consumptionStep(event).createsConsumption() ? 1 : 0);
        return new Finding.PostDispenseResale(event, evidence, reentered.party(), consumptions);
    }

    /** The dispensed consumption the event shows to be back in the chain, or null. */
    private static Consumption reenteredFrom(List<Consumption> dispensed, ScanEvent event) {
        EventType type = event.getEventType();
        Consumption latest = dispensed.get(dispensed.size() - 1);
        if (type == EventType.RECEIVE || type == EventType.SHIP) {
            return latest;
        }
        if (type == EventType.SELL || type == EventType.DISPENSE) {
            for (int i = dispensed.size() - 1; i >= 0; i--) {
                if (!dispensed.get(i).party().equals(event.getPartyId())) {
                    return dispensed.get(i);
                }
            }
        }
        return null;
    }
}
