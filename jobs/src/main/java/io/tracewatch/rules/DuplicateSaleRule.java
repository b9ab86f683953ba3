package io.tracewatch.rules;

import io.tracewatch.model.ScanEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * DUPLICATE_SALE: an event that creates a consumption or raises its quantity leaves the pack
 * consumed more than it holds (or by more than one party).
 */
public final class DuplicateSaleRule implements Rule {
    static final String VERSION = "dup-1";

    @Override
    public RuleId id() {
        return RuleId.DUPLICATE_SALE;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public Finding judge(PackState before, ScanEvent event, Judging context) {
        ConsumptionStep step = before.consumptionStep(event);
        if (!step.createsConsumption() && !step.raisesQuantity()) {
            return null;
        }
        Integer packSize = event.getPackSize() != null ? event.getPackSize() : before.packSize();
        Set<String> parties = new LinkedHashSet<>();
        List<ScanEvent> evidence = new ArrayList<>();
        int count = 0;
        long units = 0;
        for (Consumption c : before.consumptions()) {
            if (c.reversed()) {
                continue;
            }
            Integer quantity = c == step.joined() ? step.quantityAfter() : c.quantity();
            count++;
            units += unitsOf(quantity, packSize);
            parties.add(c.party());
            evidence.addAll(c.events());
        }
        if (step.createsConsumption()) {
            count++;
            units += unitsOf(step.quantityAfter(), packSize);
            parties.add(event.getPartyId());
        }
        boolean exceeds = packSize != null ? units > packSize : count > 1;
        if (!exceeds && parties.size() <= 1) {
            return null;
        }
        evidence.sort(Events.EVENT_TIME_ORDER);
        return new Finding.DuplicateSale(
                event,
                evidence,
                packSize == null ? null : (int) Math.min(Integer.MAX_VALUE, units),
                packSize,
                count,
                List.copyOf(parties),
                null);
    }

    private static long unitsOf(Integer quantity, Integer packSize) {
        if (quantity != null) {
            return quantity;
        }
        return packSize == null ? 0 : packSize;
    }
}
