package io.tracewatch.rules;

import io.tracewatch.model.EventType;
import io.tracewatch.model.ScanEvent;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * EXPIRED_PACK (lifecycle.md): a SELL or DISPENSE on a date, in China Standard Time, after the
 * pack's expiry date: the valid expiry_date of the latest event at or before it that carries one,
 * itself included. A pack is usable through its expiry date; every such event triggers.
 */
public final class ExpiredPackRule implements Rule {
    static final String VERSION = "expired-1";
    private static final ZoneOffset CHINA_STANDARD_TIME = ZoneOffset.ofHours(8);

    @Override
    public RuleId id() {
        return RuleId.EXPIRED_PACK;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public Finding judge(PackState before, ScanEvent event, Judging context) {
        if (event.getEventType() != EventType.SELL && event.getEventType() != EventType.DISPENSE) {
            return null;
        }
        ScanEvent carrier = event.getExpiryDate() != null ? event : before.expiryCarrier();
        if (carrier == null) {
            return null;
        }
        LocalDate expiry = carrier.getExpiryDate();
        LocalDate day = event.getEventTime().atOffset(CHINA_STANDARD_TIME).toLocalDate();
        if (!day.isAfter(expiry)) {
            return null;
        }
        return new Finding.ExpiredPack(event, carrier == event ? List.of() : List.of(carrier), carrier, expiry);
    }
}
