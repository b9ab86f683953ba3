package io.tracewatch.rules;

import io.tracewatch.model.EventType;
import io.tracewatch.model.PartyType;
import io.tracewatch.model.RecallRecord;
import io.tracewatch.model.RecallStatus;
import io.tracewatch.model.ScanEvent;
import java.util.List;

/**
 * RECALLED_PACK (lifecycle.md): a SELL or DISPENSE, or a RECEIVE scanned by a pharmacy, hospital or
 * clinic, of a pack under recall at the event: a recall whose applicable version is ACTIVE, for the
 * pack's product, and for its batch when it lists batches. Every such event triggers; without a
 * recall list nothing does.
 */
public final class RecalledPackRule implements Rule {
    static final String VERSION = "recalled-1";
    /** A code of 20 ASCII digits begins with its product's 7. */
    private static final int PRODUCT_DIGITS = 7;
    private static final int CODE_DIGITS = 20;

    @Override
    public RuleId id() {
        return RuleId.RECALLED_PACK;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public Finding judge(PackState before, ScanEvent event, Judging context) {
        if (!concerned(event)) {
            return null;
        }
        String product = productAt(before, event);
        if (product == null) {
            return null;
        }
        ScanEvent batchCarrier = event.getBatch() != null ? event : before.batchCarrier();
        String batch = batchCarrier == null ? null : batchCarrier.getBatch();
        RecallRecord applies = null;
        for (RecallRecord recall : context.reference().recalls(product, event.getEventTime())) {
            boolean covers = recall.getStatus() == RecallStatus.ACTIVE
                    && (recall.getBatches() == null || batch != null && recall.getBatches().contains(batch));
            if (covers && (applies == null || recall.getRecallId().compareTo(applies.getRecallId()) < 0)) {
                applies = recall;
            }
        }
        if (applies == null) {
            return null;
        }
        List<ScanEvent> evidence = batchCarrier == null || batchCarrier == event ? List.of() : List.of(batchCarrier);
        return new Finding.RecalledPack(event, evidence, applies, product, batch);
    }

    private static boolean concerned(ScanEvent event) {
        EventType type = event.getEventType();
        if (type == EventType.SELL || type == EventType.DISPENSE) {
            return true;
        }
        PartyType party = event.getPartyType();
        return type == EventType.RECEIVE && (party == PartyType.PHARMACY || party == PartyType.HOSPITAL || party == PartyType.CLINIC);
    }

    /** The product_code of the latest event at or before this one carrying one; else the code's first 7 digits, when it is 20 ASCII digits. */
    static String productAt(PackState before, ScanEvent event) {
        if (event.getProductCode() != null) {
            return event.getProductCode();
        }
        if (before.productCarrier() != null) {
            return before.productCarrier().getProductCode();
        }
        String code = event.getCode();
        if (code.length() == CODE_DIGITS && code.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return code.substring(0, PRODUCT_DIGITS);
        }
        return null;
    }
}
