package io.tracewatch.rules;

import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.SealedConsumption;
import io.tracewatch.model.internal.SealedPack;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The walk's state as a sealed code keeps it (contract v1.2, "Years of codes"): every fact of
 * {@link PackState}, with the events it refers to kept whole apart and named by their index. A walk
 * restored from it judges later events exactly as one over the whole history would.
 */
public final class Seals {
    private static final int NONE = -1;

    private Seals() {}

    /** The events {@code state} refers to: the evidence of later alerts, in (event_time, event_id) order. */
    public static List<ScanEvent> referenced(PackState state) {
        Map<String, ScanEvent> events = new HashMap<>();
        for (ScanEvent event : new ScanEvent[] {state.custodyEvent, state.lastLocated, state.firstDestroy, state.expiryCarrier,
                state.productCarrier, state.batchCarrier}) {
            if (event != null) {
                events.put(event.getEventId(), event);
            }
        }
        for (Consumption consumption : state.consumptions) {
            if (!consumption.reversed()) {
                for (ScanEvent event : consumption.events()) {
                    events.put(event.getEventId(), event);
                }
            }
        }
        List<ScanEvent> kept = new ArrayList<>(events.values());
        kept.sort(Events.EVENT_TIME_ORDER);
        return kept;
    }

    /**
     * The facts of {@code state}, its events named by their index in {@code kept}.
     *
     * @param kept {@link #referenced}{@code (state)}
     */
    public static SealedPack seal(PackState state, List<ScanEvent> kept) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < kept.size(); i++) {
            index.put(kept.get(i).getEventId(), i);
        }
        List<SealedConsumption> consumptions = new ArrayList<>(state.consumptions.size());
        for (Consumption consumption : state.consumptions) {
            List<Integer> events = new ArrayList<>(consumption.reversed() ? 0 : consumption.events().size());
            if (!consumption.reversed()) {
                for (ScanEvent event : consumption.events()) {
                    events.add(index.get(event.getEventId()));
                }
            }
            consumptions.add(new SealedConsumption(consumption.party(), consumption.transactionId(), events, consumption.quantity(),
                    consumption.reversed(), consumption.dispensedOrSettled()));
        }
        return SealedPack.newBuilder()
                .setHolder(state.holder)
                .setCustodyEvent(indexOf(index, state.custodyEvent))
                .setPackSize(state.packSize)
                .setConsumptions(consumptions)
                .setLastLocated(indexOf(index, state.lastLocated))
                .setLastLat(state.lastLocation == null ? 0 : state.lastLocation[0])
                .setLastLon(state.lastLocation == null ? 0 : state.lastLocation[1])
                .setResaleFlagged(state.resaleFlagged)
                .setDestroyedFlagged(state.destroyedFlagged)
                .setFirstDestroy(indexOf(index, state.firstDestroy))
                .setExpiryCarrier(indexOf(index, state.expiryCarrier))
                .setProductCarrier(indexOf(index, state.productCarrier))
                .setBatchCarrier(indexOf(index, state.batchCarrier))
                .setCommissions(state.commissions)
                .setProductCodes(new ArrayList<>(state.productCodes))
                .setUpstream(new ArrayList<>(state.upstream))
                .setConsumed(state.consumed)
                .build();
    }

    /** A new walk state with the facts of a seal; {@code kept} are the events the seal kept. */
    public static PackState restore(SealedPack pack, List<ScanEvent> kept) {
        PackState state = new PackState();
        state.holder = pack.getHolder();
        state.custodyEvent = eventAt(kept, pack.getCustodyEvent());
        state.packSize = pack.getPackSize();
        for (SealedConsumption sealed : pack.getConsumptions()) {
            List<ScanEvent> events = new ArrayList<>(sealed.getEvents().size() + 1);
            for (int event : sealed.getEvents()) {
                events.add(kept.get(event));
            }
            state.consumptions.add(new Consumption(sealed.getParty(), sealed.getTransactionId(), events, sealed.getQuantity(),
                    sealed.getReversed(), sealed.getDispensedOrSettled()));
        }
        state.lastLocated = eventAt(kept, pack.getLastLocated());
        state.lastLocation = state.lastLocated == null ? null : new double[] {pack.getLastLat(), pack.getLastLon()};
        state.resaleFlagged = pack.getResaleFlagged();
        state.destroyedFlagged = pack.getDestroyedFlagged();
        state.firstDestroy = eventAt(kept, pack.getFirstDestroy());
        state.expiryCarrier = eventAt(kept, pack.getExpiryCarrier());
        state.productCarrier = eventAt(kept, pack.getProductCarrier());
        state.batchCarrier = eventAt(kept, pack.getBatchCarrier());
        state.commissions = pack.getCommissions();
        state.productCodes.addAll(pack.getProductCodes());
        state.upstream.addAll(pack.getUpstream());
        state.consumed = pack.getConsumed();
        return state;
    }

    private static int indexOf(Map<String, Integer> index, ScanEvent event) {
        return event == null ? NONE : index.get(event.getEventId());
    }

    private static ScanEvent eventAt(List<ScanEvent> kept, int index) {
        return index == NONE ? null : kept.get(index);
    }
}
