package io.tracewatch.rules;

import io.tracewatch.model.EventType;
import io.tracewatch.model.ScanEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a walk over one code's history knows after each event: the holder by the chain of custody,
 * the consumptions, the pack size, the last located scan, whether resale has already been flagged,
 * and the pack's lifecycle (lifecycle.md): its first DESTROY, the events that carried its expiry
 * date, product and batch, its COMMISSION events and product codes. Updated by {@link #apply},
 * read by the rules before each event is applied (contract, "Precise semantics").
 */
public final class PackState {
    // package-private for Seals, which writes and restores them
    String holder;
    ScanEvent custodyEvent;
    Integer packSize;
    final List<Consumption> consumptions = new ArrayList<>(4);
    ScanEvent lastLocated;
    double[] lastLocation;
    boolean resaleFlagged;
    ScanEvent firstDestroy;
    boolean destroyedFlagged;
    ScanEvent expiryCarrier;
    ScanEvent productCarrier;
    ScanEvent batchCarrier;
    int commissions;
    final Set<String> productCodes = new LinkedHashSet<>(2);
    final Set<String> upstream = new LinkedHashSet<>(4);
    boolean consumed;

    /** The party expected to hold the pack, or null while unknown. */
    public String holder() {
        return holder;
    }

    /** The scan that made {@link #holder()} the holder. */
    public ScanEvent custodyEvent() {
        return custodyEvent;
    }

    public Integer packSize() {
        return packSize;
    }

    /** Consumptions in the order they were created, reversed ones included. */
    public List<Consumption> consumptions() {
        return consumptions;
    }

    /** The latest scan so far that carries a location (its own, or its party's registered site), or null. */
    public ScanEvent lastLocated() {
        return lastLocated;
    }

    /** Where {@link #lastLocated()} happened: {lat, lon}. */
    public double[] lastLocation() {
        return lastLocation;
    }

    /** Whether resale was flagged since the last time no dispensed or settled consumption stood. */
    public boolean resaleFlagged() {
        return resaleFlagged;
    }

    /** The code's first DESTROY event, or null. */
    public ScanEvent firstDestroy() {
        return firstDestroy;
    }

    /** Whether DESTROYED_PACK has fired on this code: once per code. */
    public boolean destroyedFlagged() {
        return destroyedFlagged;
    }

    /** The latest event so far that carried a (valid) expiry_date, or null. */
    public ScanEvent expiryCarrier() {
        return expiryCarrier;
    }

    /** The latest event so far that carried a product_code, or null. */
    public ScanEvent productCarrier() {
        return productCarrier;
    }

    /** The latest event so far that carried a batch, or null. */
    public ScanEvent batchCarrier() {
        return batchCarrier;
    }

    /** COMMISSION events so far. */
    public int commissions() {
        return commissions;
    }

    /** Distinct product_code values the events so far carried. */
    public Set<String> productCodes() {
        return productCodes;
    }

    /**
     * The upstream holders (contract cases.md, verification): the distinct holders, in walk order,
     * set by the events before the first consumption; all of them while the pack was never consumed.
     */
    public Set<String> upstream() {
        return upstream;
    }

    /** Whether a SELL, DISPENSE or SETTLE has been seen: the upstream holders are complete. */
    public boolean consumed() {
        return consumed;
    }

    /** Unreversed consumptions that include a DISPENSE or SETTLE, oldest first. */
    public List<Consumption> dispensedConsumptions() {
        List<Consumption> dispensed = new ArrayList<>(1);
        for (Consumption c : consumptions) {
            if (!c.reversed() && c.dispensedOrSettled()) {
                dispensed.add(c);
            }
        }
        return dispensed;
    }

    /** How {@code event} would change the consumptions; the state is not changed. */
    public ConsumptionStep consumptionStep(ScanEvent event) {
        EventType type = event.getEventType();
        if (type != EventType.SELL && type != EventType.DISPENSE && type != EventType.SETTLE) {
            return ConsumptionStep.NONE;
        }
        Consumption joined = consumptionJoinedBy(event);
        if (joined == null) {
            return new ConsumptionStep(true, null, event.getQuantity(), false);
        }
        Integer before = joined.quantity();
        Integer after = Consumption.larger(before, event.getQuantity());
        Integer packSizeAfter = event.getPackSize() != null ? event.getPackSize() : packSize;
        boolean raises = !joined.reversed()
                && after != null
                && (before == null ? packSizeAfter != null && after > packSizeAfter : after > before);
        return new ConsumptionStep(true, joined, after, raises);
    }

    private Consumption consumptionJoinedBy(ScanEvent event) {
        String party = event.getPartyId();
        String transaction = event.getTransactionId();
        if (transaction != null) {
            for (Consumption c : consumptions) {
                if (transaction.equals(c.transactionId()) && party.equals(c.party())) {
                    return c;
                }
            }
            return null;
        }
        if (event.getEventType() == EventType.SETTLE) {
            return latestUnreversed(party, null);
        }
        return null;
    }

    private Consumption latestUnreversed(String party, String otherParty) {
        for (int i = consumptions.size() - 1; i >= 0; i--) {
            Consumption c = consumptions.get(i);
            if (!c.reversed() && (c.party().equals(party) || c.party().equals(otherParty))) {
                return c;
            }
        }
        return null;
    }

    /**
     * Moves the state past {@code event}.
     *
     * @param flaggedResale whether a rule flagged {@code event} as a resale
     */
    public void apply(ScanEvent event, boolean flaggedResale) {
        apply(event, flaggedResale, false, Events.hasLocation(event) ? new double[] {event.getLat(), event.getLon()} : null);
    }

    /**
     * @param flaggedDestroyed whether a rule flagged {@code event} as a destroyed pack seen again
     * @param location where the event happened for the travel check, or null
     */
    public void apply(ScanEvent event, boolean flaggedResale, boolean flaggedDestroyed, double[] location) {
        applyLifecycle(event);
        destroyedFlagged |= flaggedDestroyed;
        if (event.getPackSize() != null) {
            packSize = event.getPackSize();
        }
        applyConsumption(event);
        applyCustody(event);
        if (!consumed && holder != null) {
            upstream.add(holder);
        }
        if (location != null) {
            lastLocated = event;
            lastLocation = location;
        }
        resaleFlagged |= flaggedResale;
        if (resaleFlagged && dispensedConsumptions().isEmpty()) {
            resaleFlagged = false;
        }
    }

    private void applyLifecycle(ScanEvent event) {
        if (event.getEventType() == EventType.DESTROY && firstDestroy == null) {
            firstDestroy = event;
        }
        if (event.getEventType() == EventType.COMMISSION) {
            commissions++;
        }
        if (event.getExpiryDate() != null) {
            expiryCarrier = event;
        }
        if (event.getProductCode() != null) {
            // nearly every scan names the product its code was printed for: hashed only when it changes
            if (productCarrier == null || !productCarrier.getProductCode().equals(event.getProductCode())) {
                productCodes.add(event.getProductCode());
            }
            productCarrier = event;
        }
        if (event.getBatch() != null) {
            batchCarrier = event;
        }
    }

    private void applyConsumption(ScanEvent event) {
        ConsumptionStep step = consumptionStep(event);
        if (step.consumes()) {
            consumed = true;
            Consumption target = step.joined();
            if (target == null) {
                target = new Consumption(event.getPartyId(), event.getTransactionId());
                consumptions.add(target);
            }
            target.add(event);
        } else if (event.getEventType() == EventType.RETURN) {
            Consumption refunded = latestUnreversed(event.getPartyId(), event.getCounterpartyId());
            if (refunded != null) {
                refunded.reverse();
            }
        }
    }

    private void applyCustody(ScanEvent event) {
        String party = event.getPartyId();
        String counterparty = event.getCounterpartyId();
        switch (event.getEventType()) {
            case COMMISSION, RECEIVE, SELL, DISPENSE -> setHolder(party, event);
            case SHIP -> setHolder(counterparty, event);
            case RETURN -> setHolder(Objects.requireNonNullElse(counterparty, party), event);
            case SETTLE, DESTROY -> {}
        }
    }

    private void setHolder(String party, ScanEvent cause) {
        holder = party;
        custodyEvent = party == null ? null : cause;
    }
}
