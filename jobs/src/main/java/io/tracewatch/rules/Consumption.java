package io.tracewatch.rules;

import io.tracewatch.model.EventType;
import io.tracewatch.model.ScanEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * One consumption of a pack: a SELL, DISPENSE or SETTLE, or several of them at one party that share
 * a transaction_id (the sale and its settlement).
 */
public final class Consumption {
    private final String party;
    private final String transactionId;
    private final List<ScanEvent> events;
    private Integer quantity;
    private boolean reversed;
    private boolean dispensedOrSettled;

    Consumption(String party, String transactionId) {
        this(party, transactionId, new ArrayList<>(2), null, false, false);
    }

    /** A consumption as a seal kept it (Seals). */
    Consumption(String party, String transactionId, List<ScanEvent> events, Integer quantity, boolean reversed, boolean dispensedOrSettled) {
        this.party = party;
        this.transactionId = transactionId;
        this.events = events;
        this.quantity = quantity;
        this.reversed = reversed;
        this.dispensedOrSettled = dispensedOrSettled;
    }

    void add(ScanEvent event) {
        events.add(event);
        quantity = larger(quantity, event.getQuantity());
        EventType type = event.getEventType();
        dispensedOrSettled |= type == EventType.DISPENSE || type == EventType.SETTLE;
    }

    void reverse() {
        reversed = true;
    }

    public String party() {
        return party;
    }

    String transactionId() {
        return transactionId;
    }

    /** The largest quantity among its events that carry one, or null: the whole pack. */
    public Integer quantity() {
        return quantity;
    }

    public boolean reversed() {
        return reversed;
    }

    /** Whether a DISPENSE or SETTLE is part of it: the pack reached a patient or was paid by insurance. */
    public boolean dispensedOrSettled() {
        return dispensedOrSettled;
    }

    public List<ScanEvent> events() {
        return events;
    }

    static Integer larger(Integer a, Integer b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Math.max(a, b);
    }
}
