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

/**
 * Reads the sealed histories of format 5 (snapshot version 6), for a savepoint written before
 * format 6 packed them ({@link SealBinary}): events whole in {@link ScanBinary}'s form, strings
 * repeated where they recur.
 */
final class Format5Seals {
    private Format5Seals() {}

    static SealedHistory read(DataInputView in) throws IOException {
        long newest = in.readLong();
        int keptCount = SealBinary.count(in, "kept events");
        List<ScanEvent> kept = new ArrayList<>(keptCount);
        List<Long> contents = new ArrayList<>(keptCount);
        for (int i = 0; i < keptCount; i++) {
            kept.add(ScanBinary.readEvent(in));
            contents.add(in.readLong());
        }
        int otherCount = SealBinary.count(in, "sealed events");
        List<SealedEvent> others = new ArrayList<>(otherCount);
        for (int i = 0; i < otherCount; i++) {
            others.add(SealBinary.sealedEvent(in.readLong()));
        }
        int raisedCount = SealBinary.count(in, "sealed alerts");
        List<RaisedAlert> raised = new ArrayList<>(raisedCount);
        for (int i = 0; i < raisedCount; i++) {
            raised.add(new RaisedAlert(ScanBinary.readString(in), ScanBinary.readString(in), 0L));
        }
        return new SealedHistory(newest, kept, contents, others, raised, readPack(in, keptCount));
    }

    private static SealedPack readPack(DataInputView in, int kept) throws IOException {
        int flags = in.readUnsignedByte();
        SealedPack.Builder pack = SealedPack.newBuilder()
                .setHolder((flags & SealBinary.HOLDER) != 0 ? ScanBinary.readString(in) : null)
                .setPackSize((flags & SealBinary.PACK_SIZE) != 0 ? in.readInt() : null)
                .setResaleFlagged((flags & SealBinary.RESALE_FLAGGED) != 0)
                .setDestroyedFlagged((flags & SealBinary.DESTROYED_FLAGGED) != 0)
                .setConsumed((flags & SealBinary.CONSUMED) != 0)
                .setCustodyEvent(SealBinary.readIndex(in, kept));
        int consumptionCount = SealBinary.count(in, "sealed consumptions");
        List<SealedConsumption> consumptions = new ArrayList<>(consumptionCount);
        for (int i = 0; i < consumptionCount; i++) {
            consumptions.add(readConsumption(in, kept));
        }
        pack.setConsumptions(consumptions);
        int lastLocated = SealBinary.readIndex(in, kept);
        pack.setLastLocated(lastLocated)
                .setLastLat(lastLocated >= 0 ? in.readDouble() : 0)
                .setLastLon(lastLocated >= 0 ? in.readDouble() : 0);
        return pack.setFirstDestroy(SealBinary.readIndex(in, kept))
                .setExpiryCarrier(SealBinary.readIndex(in, kept))
                .setProductCarrier(SealBinary.readIndex(in, kept))
                .setBatchCarrier(SealBinary.readIndex(in, kept))
                .setCommissions(ScanBinary.readLength(in))
                .setProductCodes(readStrings(in))
                .setUpstream(readStrings(in))
                .build();
    }

    private static SealedConsumption readConsumption(DataInputView in, int kept) throws IOException {
        int flags = in.readUnsignedByte();
        String party = ScanBinary.readString(in);
        String transaction = (flags & SealBinary.TRANSACTION) != 0 ? ScanBinary.readString(in) : null;
        Integer quantity = (flags & SealBinary.QUANTITY) != 0 ? in.readInt() : null;
        int eventCount = SealBinary.count(in, "consumption events");
        List<Integer> events = new ArrayList<>(eventCount);
        for (int i = 0; i < eventCount; i++) {
            events.add(SealBinary.readEventIndex(in, kept));
        }
        return new SealedConsumption(party, transaction, events, quantity, (flags & SealBinary.REVERSED) != 0, (flags & SealBinary.DISPENSED_OR_SETTLED) != 0);
    }

    private static List<String> readStrings(DataInputView in) throws IOException {
        int size = SealBinary.count(in, "sealed names");
        List<String> strings = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            strings.add(ScanBinary.readString(in));
        }
        return strings;
    }
}
