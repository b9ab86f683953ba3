package io.tracewatch.io;

import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.RaisedAlert;
import io.tracewatch.model.internal.SealedConsumption;
import io.tracewatch.model.internal.SealedEvent;
import io.tracewatch.model.internal.SealedHistory;
import io.tracewatch.model.internal.SealedPack;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The bytes of a sealed history, part of the detector's state from format 5 on. Most codes a region
 * holds are sealed, so the layout is compact: counts and event indexes as variable-length integers,
 * an event index shifted by one so that "none" is 0, optional values behind flags, and standing
 * alerts without the fingerprint that only an alert still judged needs.
 */
final class SealBinary {
    /** Bits of a sealed event's fingerprint that hold its content; the rest hold its event_id's hash. */
    private static final int CONTENT_BITS = 24;

    private static final int HOLDER = 1;
    private static final int PACK_SIZE = 1 << 1;
    private static final int RESALE_FLAGGED = 1 << 2;
    private static final int DESTROYED_FLAGGED = 1 << 3;
    private static final int CONSUMED = 1 << 4;

    private static final int TRANSACTION = 1;
    private static final int QUANTITY = 1 << 1;
    private static final int REVERSED = 1 << 2;
    private static final int DISPENSED_OR_SETTLED = 1 << 3;

    private SealBinary() {}

    static void write(SealedHistory seal, DataOutputView out) throws IOException {
        out.writeLong(seal.getNewest());
        ScanBinary.writeLength(seal.getKept().size(), out);
        for (int i = 0; i < seal.getKept().size(); i++) {
            ScanBinary.writeEvent(seal.getKept().get(i), out);
            out.writeLong(seal.getKeptContents().get(i));
        }
        ScanBinary.writeLength(seal.getOthers().size(), out);
        for (SealedEvent other : seal.getOthers()) {
            // a 40-bit hash of the event_id above 24 bits of the content fingerprint (Sealing)
            out.writeLong(other.getEventIdHash() << CONTENT_BITS | other.getContent());
        }
        ScanBinary.writeLength(seal.getRaised().size(), out);
        for (RaisedAlert alert : seal.getRaised()) {
            ScanBinary.writeString(alert.getRule(), out);
            ScanBinary.writeString(alert.getTriggerEventId(), out);
        }
        writePack(seal.getPack(), out);
    }

    static SealedHistory read(DataInputView in) throws IOException {
        long newest = in.readLong();
        int keptCount = count(in, "kept events");
        List<ScanEvent> kept = new ArrayList<>(keptCount);
        List<Long> contents = new ArrayList<>(keptCount);
        for (int i = 0; i < keptCount; i++) {
            kept.add(ScanBinary.readEvent(in));
            contents.add(in.readLong());
        }
        int otherCount = count(in, "sealed events");
        List<SealedEvent> others = new ArrayList<>(otherCount);
        for (int i = 0; i < otherCount; i++) {
            long other = in.readLong();
            others.add(new SealedEvent(other >>> CONTENT_BITS, other & ((1L << CONTENT_BITS) - 1)));
        }
        int raisedCount = count(in, "sealed alerts");
        List<RaisedAlert> raised = new ArrayList<>(raisedCount);
        for (int i = 0; i < raisedCount; i++) {
            raised.add(new RaisedAlert(ScanBinary.readString(in), ScanBinary.readString(in), 0L));
        }
        return new SealedHistory(newest, kept, contents, others, raised, readPack(in, keptCount));
    }

    private static void writePack(SealedPack pack, DataOutputView out) throws IOException {
        int flags = (pack.getHolder() != null ? HOLDER : 0)
                | (pack.getPackSize() != null ? PACK_SIZE : 0)
                | (pack.getResaleFlagged() ? RESALE_FLAGGED : 0)
                | (pack.getDestroyedFlagged() ? DESTROYED_FLAGGED : 0)
                | (pack.getConsumed() ? CONSUMED : 0);
        out.writeByte(flags);
        if (pack.getHolder() != null) {
            ScanBinary.writeString(pack.getHolder(), out);
        }
        if (pack.getPackSize() != null) {
            out.writeInt(pack.getPackSize());
        }
        writeIndex(pack.getCustodyEvent(), out);
        ScanBinary.writeLength(pack.getConsumptions().size(), out);
        for (SealedConsumption consumption : pack.getConsumptions()) {
            writeConsumption(consumption, out);
        }
        writeIndex(pack.getLastLocated(), out);
        if (pack.getLastLocated() >= 0) {
            out.writeDouble(pack.getLastLat());
            out.writeDouble(pack.getLastLon());
        }
        writeIndex(pack.getFirstDestroy(), out);
        writeIndex(pack.getExpiryCarrier(), out);
        writeIndex(pack.getProductCarrier(), out);
        writeIndex(pack.getBatchCarrier(), out);
        ScanBinary.writeLength(pack.getCommissions(), out);
        writeStrings(pack.getProductCodes(), out);
        writeStrings(pack.getUpstream(), out);
    }

    private static SealedPack readPack(DataInputView in, int kept) throws IOException {
        int flags = in.readUnsignedByte();
        SealedPack.Builder pack = SealedPack.newBuilder()
                .setHolder((flags & HOLDER) != 0 ? ScanBinary.readString(in) : null)
                .setPackSize((flags & PACK_SIZE) != 0 ? in.readInt() : null)
                .setResaleFlagged((flags & RESALE_FLAGGED) != 0)
                .setDestroyedFlagged((flags & DESTROYED_FLAGGED) != 0)
                .setConsumed((flags & CONSUMED) != 0)
                .setCustodyEvent(readIndex(in, kept));
        int consumptionCount = count(in, "sealed consumptions");
        List<SealedConsumption> consumptions = new ArrayList<>(consumptionCount);
        for (int i = 0; i < consumptionCount; i++) {
            consumptions.add(readConsumption(in, kept));
        }
        pack.setConsumptions(consumptions);
        int lastLocated = readIndex(in, kept);
        pack.setLastLocated(lastLocated)
                .setLastLat(lastLocated >= 0 ? in.readDouble() : 0)
                .setLastLon(lastLocated >= 0 ? in.readDouble() : 0);
        return pack.setFirstDestroy(readIndex(in, kept))
                .setExpiryCarrier(readIndex(in, kept))
                .setProductCarrier(readIndex(in, kept))
                .setBatchCarrier(readIndex(in, kept))
                .setCommissions(ScanBinary.readLength(in))
                .setProductCodes(readStrings(in))
                .setUpstream(readStrings(in))
                .build();
    }

    private static void writeConsumption(SealedConsumption consumption, DataOutputView out) throws IOException {
        int flags = (consumption.getTransactionId() != null ? TRANSACTION : 0)
                | (consumption.getQuantity() != null ? QUANTITY : 0)
                | (consumption.getReversed() ? REVERSED : 0)
                | (consumption.getDispensedOrSettled() ? DISPENSED_OR_SETTLED : 0);
        out.writeByte(flags);
        ScanBinary.writeString(consumption.getParty(), out);
        if (consumption.getTransactionId() != null) {
            ScanBinary.writeString(consumption.getTransactionId(), out);
        }
        if (consumption.getQuantity() != null) {
            out.writeInt(consumption.getQuantity());
        }
        ScanBinary.writeLength(consumption.getEvents().size(), out);
        for (int event : consumption.getEvents()) {
            writeIndex(event, out);
        }
    }

    private static SealedConsumption readConsumption(DataInputView in, int kept) throws IOException {
        int flags = in.readUnsignedByte();
        String party = ScanBinary.readString(in);
        String transaction = (flags & TRANSACTION) != 0 ? ScanBinary.readString(in) : null;
        Integer quantity = (flags & QUANTITY) != 0 ? in.readInt() : null;
        int eventCount = count(in, "consumption events");
        List<Integer> events = new ArrayList<>(eventCount);
        for (int i = 0; i < eventCount; i++) {
            int event = readIndex(in, kept);
            if (event < 0) {
                throw new IOException("corrupt code state: a sealed consumption names no event");
            }
            events.add(event);
        }
        return new SealedConsumption(party, transaction, events, quantity, (flags & REVERSED) != 0, (flags & DISPENSED_OR_SETTLED) != 0);
    }

    private static void writeIndex(int index, DataOutputView out) throws IOException {
        ScanBinary.writeLength(index + 1, out);
    }

    private static int readIndex(DataInputView in, int kept) throws IOException {
        int index = ScanBinary.readLength(in) - 1;
        if (index < -1 || index >= kept) {
            throw new IOException("corrupt code state: sealed event index " + index + " of " + kept);
        }
        return index;
    }

    private static void writeStrings(List<String> strings, DataOutputView out) throws IOException {
        ScanBinary.writeLength(strings.size(), out);
        for (String text : strings) {
            ScanBinary.writeString(text, out);
        }
    }

    private static List<String> readStrings(DataInputView in) throws IOException {
        int size = count(in, "sealed names");
        List<String> strings = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            strings.add(ScanBinary.readString(in));
        }
        return strings;
    }

    private static int count(DataInputView in, String what) throws IOException {
        int count = ScanBinary.readLength(in);
        if (count < 0 || count > CodeStateReader.MAX_EVENTS_READ) {
            throw new IOException("corrupt code state: " + count + " " + what);
        }
        return count;
    }
}
