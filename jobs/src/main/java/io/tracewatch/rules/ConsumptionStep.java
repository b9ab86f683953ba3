package io.tracewatch.rules;

/**
 * How one event changes the consumptions of a pack, worked out on the state before the event.
 *
 * @param consumes whether the event is a SELL, DISPENSE or SETTLE
 * @param joined the existing consumption the event becomes part of, or null when it creates one
 * @param quantityAfter the quantity of the event's consumption once it is applied (null: whole pack)
 * @param raisesQuantity whether the event joins an unreversed consumption and makes it count more units
 */
public record ConsumptionStep(
        boolean consumes, Consumption joined, Integer quantityAfter, boolean raisesQuantity) {

    static final ConsumptionStep NONE = new ConsumptionStep(false, null, null, false);

    public boolean createsConsumption() {
        return consumes && joined == null;
    }
}
