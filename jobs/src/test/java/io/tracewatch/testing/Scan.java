package io.tracewatch.testing;

import io.tracewatch.io.codec.Times;
import io.tracewatch.model.EventType;
import io.tracewatch.model.PartyType;
import io.tracewatch.model.ScanEvent;
import java.time.OffsetDateTime;

/** Builds scan events for tests: {@code Scan.of("e1", SELL, "03-05 10:00", "PH-1").qty(10).build()}. */
public final class Scan {
    public static final String CODE = "86123450000000000001";
    private final ScanEvent.Builder event;

    private Scan(String eventId, EventType type, OffsetDateTime time, String party) {
        event = ScanEvent.newBuilder()
                .setEventId(eventId)
                .setCode(CODE)
                .setEventType(type)
                .setEventTime(Times.toMicros(time.toInstant()))
                .setEventTimeOffsetS(time.getOffset().getTotalSeconds())
                .setPartyId(party)
                .setPartyType(partyType(party));
    }

    /**
     * @param time "MM-dd HH:mm" in 2026 at +08:00, or a full ISO-8601 timestamp with offset
     */
    public static Scan of(String eventId, EventType type, String time, String party) {
        OffsetDateTime parsed = time.length() == 11
                ? OffsetDateTime.parse("2026-" + time.replace(' ', 'T') + ":00+08:00")
                : OffsetDateTime.parse(time);
        return new Scan(eventId, type, parsed, party);
    }

    private static PartyType partyType(String party) {
        if (party.startsWith("PH")) {
            return PartyType.PHARMACY;
        }
        if (party.startsWith("HOS")) {
            return PartyType.HOSPITAL;
        }
        if (party.startsWith("DS")) {
            return PartyType.DISTRIBUTOR;
        }
        if (party.startsWith("MF")) {
            return PartyType.MANUFACTURER;
        }
        return PartyType.INSURER;
    }

    public Scan code(String code) {
        event.setCode(code);
        return this;
    }

    public Scan to(String counterparty) {
        event.setCounterpartyId(counterparty);
        return this;
    }

    public Scan qty(int quantity) {
        event.setQuantity(quantity);
        return this;
    }

    public Scan pack(int packSize) {
        event.setPackSize(packSize);
        return this;
    }

    public Scan txn(String transactionId) {
        event.setTransactionId(transactionId);
        return this;
    }

    public Scan at(double lat, double lon) {
        event.setLat(lat).setLon(lon);
        return this;
    }

    public Scan batch(String productCode, String batch) {
        event.setProductCode(productCode).setBatch(batch);
        return this;
    }

    public Scan expiry(String date) {
        event.setExpiryDate(java.time.LocalDate.parse(date));
        return this;
    }

    public Scan patient(String ref) {
        event.setPatientRef(ref);
        return this;
    }

    public ScanEvent build() {
        return event.build();
    }
}
