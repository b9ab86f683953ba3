package io.tracewatch.testing;

import io.tracewatch.model.EventType;
import io.tracewatch.model.ScanEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An independent reading of the contract's walk (scan-events.md, "Precise semantics") for the
 * held-out checks of leads and verification: holder and consumptions only, written from the
 * contract's sentences, sharing no code with the rules.
 */
public final class ReferenceWalk {
    /** One consumption: its party, transaction, events, and whether a RETURN reversed it. */
    public static final class Consumption {
        final String party;
        final String transaction;
        public final List<ScanEvent> events = new ArrayList<>();
        boolean reversed;

        Consumption(String party, String transaction) {
            this.party = party;
            this.transaction = transaction;
        }

        public boolean dispensedOrSettled() {
            return events.stream().anyMatch(e -> e.getEventType() == EventType.DISPENSE || e.getEventType() == EventType.SETTLE);
        }
    }

    public String holder;
    public final List<Consumption> consumptions = new ArrayList<>();

    /** Moves the walk past one event. */
    public void apply(ScanEvent e) {
        String p = e.getPartyId();
        String c = e.getCounterpartyId();
        switch (e.getEventType()) {
            case SELL, DISPENSE, SETTLE -> consume(e);
            case RETURN -> {
                for (int i = consumptions.size() - 1; i >= 0; i--) {
                    Consumption k = consumptions.get(i);
                    if (!k.reversed && (k.party.equals(p) || k.party.equals(c))) {
                        k.reversed = true;
                        break;
                    }
                }
            }
            default -> {}
        }
        switch (e.getEventType()) {
            case COMMISSION, RECEIVE, SELL, DISPENSE -> holder = p;
            case SHIP -> holder = c;
            case RETURN -> holder = c != null ? c : p;
            default -> {}
        }
    }

    private void consume(ScanEvent e) {
        String p = e.getPartyId();
        String t = e.getTransactionId();
        Consumption joined = null;
        if (t != null) {
            for (Consumption k : consumptions) {
                if (p.equals(k.party) && t.equals(k.transaction)) {
                    joined = k;
                }
            }
        } else if (e.getEventType() == EventType.SETTLE) {
            for (int i = consumptions.size() - 1; i >= 0 && joined == null; i--) {
                if (!consumptions.get(i).reversed && consumptions.get(i).party.equals(p)) {
                    joined = consumptions.get(i);
                }
            }
        }
        if (joined == null) {
            joined = new Consumption(p, t);
            consumptions.add(joined);
        }
        joined.events.add(e);
    }

    public List<Consumption> unreversed() {
        return consumptions.stream().filter(k -> !k.reversed).toList();
    }

    /** The contract's upstream holders: distinct holders set before the first consumption, in walk order. */
    public static List<String> upstream(List<ScanEvent> history) {
        ReferenceWalk walk = new ReferenceWalk();
        Set<String> holders = new LinkedHashSet<>();
        for (ScanEvent e : history) {
            EventType type = e.getEventType();
            if (type == EventType.SELL || type == EventType.DISPENSE || type == EventType.SETTLE) {
                break;
            }
            walk.apply(e);
            if (walk.holder != null) {
                holders.add(walk.holder);
            }
        }
        return new ArrayList<>(holders);
    }
}
