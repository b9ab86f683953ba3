package io.tracewatch.io;

import io.tracewatch.io.codec.Times;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.RaisedAlert;
import io.tracewatch.model.internal.SealedConsumption;
import io.tracewatch.model.internal.SealedEvent;
import io.tracewatch.model.internal.SealedHistory;
import io.tracewatch.model.internal.SealedPack;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The bytes of a sealed history, part of the detector's state from format 6 on. Nearly every code a
 * region holds is sealed, so every byte counts: the seal's strings once each ({@link StringTable}),
 * kept events with their times as distances back from the seal's newest event, numbers as
 * variable-length integers ({@link CompactNumbers}), event indexes shifted by one so that "none"
 * is 0, optional values behind flags, the pack's last location only when its event does not carry
 * it, and standing alerts without the fingerprint that only an alert still judged needs.
 */
final class SealBinary {
    /** Bits of a sealed event's fingerprint that hold its content; the rest hold its event_id's hash. */
    static final int CONTENT_BITS = 24;

    // the pack's flags (format 5 used the same bits, and no own-location bit)
    static final int HOLDER = 1;
    static final int PACK_SIZE = 1 << 1;
    static final int RESALE_FLAGGED = 1 << 2;
    static final int DESTROYED_FLAGGED = 1 << 3;
    static final int CONSUMED = 1 << 4;
    private static final int LOCATION_OF_ITS_EVENT = 1 << 5;

    // a consumption's flags (format 5 used the same bits)
    static final int TRANSACTION = 1;
    static final int QUANTITY = 1 << 1;
    static final int REVERSED = 1 << 2;
    static final int DISPENSED_OR_SETTLED = 1 << 3;

    private SealBinary() {}

    static void write(SealedHistory seal, DataOutputView out) throws IOException {
        StringTable.Writer strings = new StringTable.Writer();
        DataOutputSerializer body = new DataOutputSerializer(256);
        writeBody(seal, strings, body);
        CompactNumbers.writeTime(seal.getNewest(), out);
        strings.writeTo(out);
        out.write(body.getSharedBuffer(), 0, body.length());
    }

    static SealedHistory read(DataInputView in) throws IOException {
        long newest = CompactNumbers.readTime(in);
        StringTable.Reader strings = StringTable.Reader.read(in);
        int keptCount = count(in, "kept events");
        List<ScanEvent> kept = new ArrayList<>(keptCount);
        List<Long> contents = new ArrayList<>(keptCount);
        for (int i = 0; i < keptCount; i++) {
            kept.add(readKept(newest, strings, in));
            contents.add(in.readLong());
        }
        int otherCount = count(in, "sealed events");
        List<SealedEvent> others = new ArrayList<>(otherCount);
        for (int i = 0; i < otherCount; i++) {
            others.add(sealedEvent(in.readLong()));
        }
        int raisedCount = count(in, "sealed alerts");
        List<RaisedAlert> raised = new ArrayList<>(raisedCount);
        for (int i = 0; i < raisedCount; i++) {
            raised.add(new RaisedAlert(strings.readRef(in), strings.readRef(in), 0L));
        }
        return new SealedHistory(newest, kept, contents, others, raised, readPack(in, kept, strings));
    }

    /** A sealed event from its 64 bits: a 40-bit hash of the event_id above 24 bits of the content fingerprint ({@code Sealing}). */
    static SealedEvent sealedEvent(long bits) {
        return new SealedEvent(bits >>> CONTENT_BITS, bits & ((1L << CONTENT_BITS) - 1));
    }

    private static void writeBody(SealedHistory seal, StringTable.Writer strings, DataOutputView out) throws IOException {
        CompactNumbers.writeUnsigned(seal.getKept().size(), out);
        for (int i = 0; i < seal.getKept().size(); i++) {
            writeKept(seal.getKept().get(i), seal.getNewest(), strings, out);
            out.writeLong(seal.getKeptContents().get(i));
        }
        CompactNumbers.writeUnsigned(seal.getOthers().size(), out);
        for (SealedEvent other : seal.getOthers()) {
            out.writeLong(other.getEventIdHash() << CONTENT_BITS | other.getContent());
        }
        CompactNumbers.writeUnsigned(seal.getRaised().size(), out);
        for (RaisedAlert alert : seal.getRaised()) {
            strings.writeRef(alert.getRule(), out);
            strings.writeRef(alert.getTriggerEventId(), out);
        }
        writePack(seal.getPack(), seal.getKept(), strings, out);
    }

    /** A kept event: its time as the distance back from the seal's newest event, its strings as references. */
    private static void writeKept(ScanEvent e, long newest, StringTable.Writer strings, DataOutputView out) throws IOException {
        int present = ScanBinary.present(e);
        CompactNumbers.writeUnsigned(present, out);
        strings.writeRef(e.getEventId(), out);
        strings.writeRef(e.getCode(), out);
        out.writeByte(ScanBinary.eventTypeCode(e.getEventType()) << 4 | ScanBinary.partyTypeCode(e.getPartyType()));
        CompactNumbers.writeTime(newest - Times.epochMicros(e.getEventTime()), out);
        CompactNumbers.writeSigned(e.getEventTimeOffsetS(), out);
        strings.writeRef(e.getPartyId(), out);
        if ((present & ScanBinary.REGION) != 0) {
            strings.writeRef(e.getRegion(), out);
        }
        if ((present & ScanBinary.LOCATION) != 0) {
            CompactNumbers.writeCoordinate(e.getLat(), out);
            CompactNumbers.writeCoordinate(e.getLon(), out);
        }
        if ((present & ScanBinary.COUNTERPARTY) != 0) {
            strings.writeRef(e.getCounterpartyId(), out);
        }
        if ((present & ScanBinary.PRODUCT) != 0) {
            strings.writeRef(e.getProductCode(), out);
        }
        if ((present & ScanBinary.BATCH) != 0) {
            strings.writeRef(e.getBatch(), out);
        }
        if ((present & ScanBinary.EXPIRY) != 0) {
            CompactNumbers.writeSigned(e.getExpiryDate().toEpochDay(), out);
        }
        if ((present & ScanBinary.PACK_SIZE) != 0) {
            CompactNumbers.writeSigned(e.getPackSize(), out);
        }
        if ((present & ScanBinary.QUANTITY) != 0) {
            CompactNumbers.writeSigned(e.getQuantity(), out);
        }
        if ((present & ScanBinary.TRANSACTION) != 0) {
            strings.writeRef(e.getTransactionId(), out);
        }
        if ((present & ScanBinary.PATIENT) != 0) {
            strings.writeRef(e.getPatientRef(), out);
        }
    }

    private static ScanEvent readKept(long newest, StringTable.Reader strings, DataInputView in) throws IOException {
        long present = CompactNumbers.readUnsigned(in);
        ScanEvent e = new ScanEvent();
        e.setEventId(strings.readRef(in));
        e.setCode(strings.readRef(in));
        int types = in.readUnsignedByte();
        e.setEventType(ScanBinary.eventType(types >>> 4));
        e.setPartyType(ScanBinary.partyType(types & 0xf));
        e.setEventTime(Times.ofEpochMicros(newest - CompactNumbers.readTime(in)));
        e.setEventTimeOffsetS(Math.toIntExact(CompactNumbers.readSigned(in)));
        e.setPartyId(strings.readRef(in));
        if ((present & ScanBinary.REGION) != 0) {
            e.setRegion(strings.readRef(in));
        }
        if ((present & ScanBinary.LOCATION) != 0) {
            e.setLat(CompactNumbers.readCoordinate(in));
            e.setLon(CompactNumbers.readCoordinate(in));
        }
        if ((present & ScanBinary.COUNTERPARTY) != 0) {
            e.setCounterpartyId(strings.readRef(in));
        }
        if ((present & ScanBinary.PRODUCT) != 0) {
            e.setProductCode(strings.readRef(in));
        }
        if ((present & ScanBinary.BATCH) != 0) {
            e.setBatch(strings.readRef(in));
        }
        if ((present & ScanBinary.EXPIRY) != 0) {
            e.setExpiryDate(LocalDate.ofEpochDay(CompactNumbers.readSigned(in)));
        }
        if ((present & ScanBinary.PACK_SIZE) != 0) {
            e.setPackSize(Math.toIntExact(CompactNumbers.readSigned(in)));
        }
        if ((present & ScanBinary.QUANTITY) != 0) {
            e.setQuantity(Math.toIntExact(CompactNumbers.readSigned(in)));
        }
        if ((present & ScanBinary.TRANSACTION) != 0) {
            e.setTransactionId(strings.readRef(in));
        }
        if ((present & ScanBinary.PATIENT) != 0) {
            e.setPatientRef(strings.readRef(in));
        }
        return e;
    }

    private static void writePack(SealedPack pack, List<ScanEvent> kept, StringTable.Writer strings, DataOutputView out) throws IOException {
        boolean locationOfItsEvent = pack.getLastLocated() >= 0 && sameLocation(pack, kept.get(pack.getLastLocated()));
        int flags = (pack.getHolder() != null ? HOLDER : 0)
                | (pack.getPackSize() != null ? PACK_SIZE : 0)
                | (pack.getResaleFlagged() ? RESALE_FLAGGED : 0)
                | (pack.getDestroyedFlagged() ? DESTROYED_FLAGGED : 0)
                | (pack.getConsumed() ? CONSUMED : 0)
                | (locationOfItsEvent ? LOCATION_OF_ITS_EVENT : 0);
        out.writeByte(flags);
        if (pack.getHolder() != null) {
            strings.writeRef(pack.getHolder(), out);
        }
        if (pack.getPackSize() != null) {
            CompactNumbers.writeSigned(pack.getPackSize(), out);
        }
        writeIndex(pack.getCustodyEvent(), out);
        CompactNumbers.writeUnsigned(pack.getConsumptions().size(), out);
        for (SealedConsumption consumption : pack.getConsumptions()) {
            writeConsumption(consumption, strings, out);
        }
        writeIndex(pack.getLastLocated(), out);
        if (pack.getLastLocated() >= 0 && !locationOfItsEvent) {
            CompactNumbers.writeCoordinate(pack.getLastLat(), out);
            CompactNumbers.writeCoordinate(pack.getLastLon(), out);
        }
        writeIndex(pack.getFirstDestroy(), out);
        writeIndex(pack.getExpiryCarrier(), out);
        writeIndex(pack.getProductCarrier(), out);
        writeIndex(pack.getBatchCarrier(), out);
        CompactNumbers.writeUnsigned(pack.getCommissions(), out);
        writeRefs(pack.getProductCodes(), strings, out);
        writeRefs(pack.getUpstream(), strings, out);
    }

    private static boolean sameLocation(SealedPack pack, ScanEvent event) {
        return event.getLat() != null && event.getLon() != null
                && Double.doubleToRawLongBits(event.getLat()) == Double.doubleToRawLongBits(pack.getLastLat())
                && Double.doubleToRawLongBits(event.getLon()) == Double.doubleToRawLongBits(pack.getLastLon());
    }

    private static SealedPack readPack(DataInputView in, List<ScanEvent> kept, StringTable.Reader strings) throws IOException {
        int flags = in.readUnsignedByte();
        SealedPack.Builder pack = SealedPack.newBuilder()
                .setHolder((flags & HOLDER) != 0 ? strings.readRef(in) : null)
                .setPackSize((flags & PACK_SIZE) != 0 ? Math.toIntExact(CompactNumbers.readSigned(in)) : null)
                .setResaleFlagged((flags & RESALE_FLAGGED) != 0)
                .setDestroyedFlagged((flags & DESTROYED_FLAGGED) != 0)
                .setConsumed((flags & CONSUMED) != 0)
                .setCustodyEvent(readIndex(in, kept.size()));
        int consumptionCount = count(in, "sealed consumptions");
        List<SealedConsumption> consumptions = new ArrayList<>(consumptionCount);
        for (int i = 0; i < consumptionCount; i++) {
            consumptions.add(readConsumption(in, kept.size(), strings));
        }
        pack.setConsumptions(consumptions);
        int lastLocated = readIndex(in, kept.size());
        pack.setLastLocated(lastLocated);
        if (lastLocated < 0) {
            pack.setLastLat(0).setLastLon(0);
        } else if ((flags & LOCATION_OF_ITS_EVENT) != 0) {
            ScanEvent located = kept.get(lastLocated);
            if (located.getLat() == null || located.getLon() == null) {
                throw new IOException("corrupt code state: the last located event has no location");
            }
            pack.setLastLat(located.getLat()).setLastLon(located.getLon());
        } else {
            pack.setLastLat(CompactNumbers.readCoordinate(in)).setLastLon(CompactNumbers.readCoordinate(in));
        }
        return pack.setFirstDestroy(readIndex(in, kept.size()))
                .setExpiryCarrier(readIndex(in, kept.size()))
                .setProductCarrier(readIndex(in, kept.size()))
                .setBatchCarrier(readIndex(in, kept.size()))
                .setCommissions(count(in, "commissions"))
                .setProductCodes(readRefs(in, strings))
                .setUpstream(readRefs(in, strings))
                .build();
    }

    private static void writeConsumption(SealedConsumption consumption, StringTable.Writer strings, DataOutputView out) throws IOException {
        int flags = (consumption.getTransactionId() != null ? TRANSACTION : 0)
                | (consumption.getQuantity() != null ? QUANTITY : 0)
                | (consumption.getReversed() ? REVERSED : 0)
                | (consumption.getDispensedOrSettled() ? DISPENSED_OR_SETTLED : 0);
        out.writeByte(flags);
        strings.writeRef(consumption.getParty(), out);
        if (consumption.getTransactionId() != null) {
            strings.writeRef(consumption.getTransactionId(), out);
        }
        if (consumption.getQuantity() != null) {
            CompactNumbers.writeSigned(consumption.getQuantity(), out);
        }
        CompactNumbers.writeUnsigned(consumption.getEvents().size(), out);
        for (int event : consumption.getEvents()) {
            writeIndex(event, out);
        }
    }

    private static SealedConsumption readConsumption(DataInputView in, int kept, StringTable.Reader strings) throws IOException {
        int flags = in.readUnsignedByte();
        String party = strings.readRef(in);
        String transaction = (flags & TRANSACTION) != 0 ? strings.readRef(in) : null;
        Integer quantity = (flags & QUANTITY) != 0 ? Math.toIntExact(CompactNumbers.readSigned(in)) : null;
        int eventCount = count(in, "consumption events");
        List<Integer> events = new ArrayList<>(eventCount);
        for (int i = 0; i < eventCount; i++) {
            events.add(readEventIndex(in, kept));
        }
        return new SealedConsumption(party, transaction, events, quantity, (flags & REVERSED) != 0, (flags & DISPENSED_OR_SETTLED) != 0);
    }

    private static void writeIndex(int index, DataOutputView out) throws IOException {
        CompactNumbers.writeUnsigned(index + 1L, out);
    }

    /** An index into the kept events, or -1 for none (format 5 wrote them alike). */
    static int readIndex(DataInputView in, int kept) throws IOException {
        long index = CompactNumbers.readUnsigned(in) - 1;
        if (index < -1 || index >= kept) {
            throw new IOException("corrupt code state: sealed event index " + index + " of " + kept);
        }
        return (int) index;
    }

    static int readEventIndex(DataInputView in, int kept) throws IOException {
        int index = readIndex(in, kept);
        if (index < 0) {
            throw new IOException("corrupt code state: a sealed consumption names no event");
        }
        return index;
    }

    private static void writeRefs(List<String> strings, StringTable.Writer table, DataOutputView out) throws IOException {
        CompactNumbers.writeUnsigned(strings.size(), out);
        for (String text : strings) {
            table.writeRef(text, out);
        }
    }

    private static List<String> readRefs(DataInputView in, StringTable.Reader table) throws IOException {
        int size = count(in, "sealed names");
        List<String> strings = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            strings.add(table.readRef(in));
        }
        return strings;
    }

    /** A count of a seal's parts (format 5 wrote them alike). */
    static int count(DataInputView in, String what) throws IOException {
        return CompactNumbers.readCount(in, CodeStateReader.MAX_EVENTS_READ, what);
    }
}
