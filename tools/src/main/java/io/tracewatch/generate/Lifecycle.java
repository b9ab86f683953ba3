package io.tracewatch.generate;

import io.tracewatch.model.EventType;
import io.tracewatch.model.PartyType;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.rules.DuplicateCause;
import io.tracewatch.rules.RuleId;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** The scans of one generated pack, in event-time order, and the alerts they must raise. */
final class Lifecycle {
    private static final int CHINA_OFFSET_S = 8 * 3600;

    final String code;
    final World.Product product;
    final List<ScanEvent> events = new ArrayList<>();
    final List<Label> labels = new ArrayList<>();
    private final long codeNumber;
    private long now;
    private String batch;
    private LocalDate expiry;

    Lifecycle(long codeNumber, World.Product product, long startEpochSecond) {
        this.codeNumber = codeNumber;
        this.product = product;
        this.code = product.code() + String.format("%013d", codeNumber);
        this.now = startEpochSecond;
        this.batch = product.batch();
        this.expiry = LocalDate.parse(product.expiry());
    }

    /** The batch every scan of the pack carries, from now on. */
    void batch(String batch) {
        this.batch = batch;
    }

    /** The expiry date every scan of the pack carries, those made so far included. */
    void expiry(LocalDate date) {
        this.expiry = date;
        for (ScanEvent event : events) {
            if (event.getExpiryDate() != null) {
                event.setExpiryDate(date);
            }
        }
    }

    /** The date in China Standard Time of an epoch second. */
    static LocalDate chinaDate(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond + CHINA_OFFSET_S).atOffset(java.time.ZoneOffset.UTC).toLocalDate();
    }

    /** Moves the clock on by {@code seconds} and returns the new time. */
    long after(long seconds) {
        now += seconds;
        return now;
    }

    void expect(RuleId rule, ScanEvent trigger) {
        labels.add(new Label(code, rule.name(), trigger.getEventId()));
    }

    void expectDuplicate(ScanEvent trigger, DuplicateCause cause) {
        labels.add(new Label(code, RuleId.DUPLICATE_SALE.name(), trigger.getEventId(), cause.name()));
    }

    ScanEvent destroy(Party party, long at) {
        return add(EventType.DESTROY, party, null, at);
    }

    ScanEvent commission(Party manufacturer) {
        return add(EventType.COMMISSION, manufacturer, null, now);
    }

    ScanEvent ship(Party from, Party to, long at) {
        return add(EventType.SHIP, from, to, at);
    }

    ScanEvent receive(Party at, Party from, long time) {
        return add(EventType.RECEIVE, at, from, time);
    }

    ScanEvent giveBack(Party from, Party to, long at) {
        return add(EventType.RETURN, from, to, at);
    }

    ScanEvent consume(EventType type, Party party, long at, Integer quantity, String transaction, String patient) {
        ScanEvent event = add(type, party, null, at);
        event.setQuantity(quantity);
        event.setTransactionId(transaction);
        event.setPatientRef(patient);
        return event;
    }

    /** An insurance settlement: uploaded by the settlement system, with no location, naming the dispensing party. */
    ScanEvent settle(Party dispenser, long at, Integer quantity, String transaction) {
        ScanEvent event = add(EventType.SETTLE, dispenser, null, at);
        event.setPartyType(PartyType.INSURER);
        event.setLat(null);
        event.setLon(null);
        event.setRegion(null);
        event.setBatch(null);
        event.setExpiryDate(null);
        event.setPackSize(null);
        event.setQuantity(quantity);
        event.setTransactionId(transaction);
        return event;
    }

    private ScanEvent add(EventType type, Party party, Party counterparty, long epochSecond) {
        ScanEvent event = ScanEvent.newBuilder()
                .setEventId(String.format("ev-%d-%d", codeNumber, events.size() + 1))
                .setCode(code)
                .setEventType(type)
                .setEventTime(Instant.ofEpochSecond(epochSecond))
                .setEventTimeOffsetS(CHINA_OFFSET_S)
                .setPartyId(party.id())
                .setPartyType(party.type())
                .setRegion(party.region())
                .setLat(party.lat())
                .setLon(party.lon())
                .setCounterpartyId(counterparty == null ? null : counterparty.id())
                .setProductCode(product.code())
                .setBatch(batch)
                .setExpiryDate(expiry)
                .setPackSize(product.packSize())
                .build();
        events.add(event);
        return event;
    }
}
