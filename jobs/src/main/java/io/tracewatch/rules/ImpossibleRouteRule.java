package io.tracewatch.rules;

import io.tracewatch.model.EventType;
import io.tracewatch.model.ScanEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * IMPOSSIBLE_ROUTE: a party handles a pack that another party holds by the chain of custody, or the
 * pack moved between two consecutive located scans faster than a vehicle could.
 */
public final class ImpossibleRouteRule implements Rule {
    static final String VERSION = "route-1";

    @Override
    public RuleId id() {
        return RuleId.IMPOSSIBLE_ROUTE;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public Finding judge(PackState before, ScanEvent event, Judging context) {
        boolean custodyBroken = breaksCustody(before.holder(), event);
        ScanEvent previous = before.lastLocated();
        double[] here = Locations.of(event, context.reference());
        double distanceKm = 0;
        double reachableKm = 0;
        boolean tooFast = false;
        if (previous != null && here != null && context.placed()) {
            double[] there = before.lastLocation();
            distanceKm = GreatCircle.distanceKm(there[0], there[1], here[0], here[1]);
            double hours = Duration.between(previous.getEventTime(), event.getEventTime()).toNanos() / 3.6e12;
            reachableKm = context.settings().locationSlackKm() + context.settings().maxSpeedKmh() * hours;
            tooFast = distanceKm > reachableKm;
        }
        if (!custodyBroken && !tooFast) {
            return null;
        }
        List<ScanEvent> evidence = new ArrayList<>(2);
        if (custodyBroken) {
            evidence.add(before.custodyEvent());
        }
        if (tooFast && !evidence.contains(previous)) {
            evidence.add(previous);
        }
        evidence.sort(Events.EVENT_TIME_ORDER);
        return new Finding.ImpossibleRoute(
                event,
                evidence,
                custodyBroken ? before.holder() : null,
                custodyBroken ? before.custodyEvent() : null,
                tooFast ? previous : null,
                distanceKm,
                reachableKm);
    }

    private static boolean breaksCustody(String holder, ScanEvent event) {
        EventType type = event.getEventType();
        boolean moves = type == EventType.RECEIVE || type == EventType.SHIP;
        if (!moves && type != EventType.SELL && type != EventType.DISPENSE) {
            return false;
        }
        if (holder == null || holder.equals(event.getPartyId())) {
            return false;
        }
        return !(moves && holder.equals(event.getCounterpartyId()));
    }
}
