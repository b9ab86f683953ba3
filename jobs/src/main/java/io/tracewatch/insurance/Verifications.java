package io.tracewatch.insurance;

import io.tracewatch.alert.AlertIds;
import io.tracewatch.model.CustodyEvent;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.StandingAlert;
import io.tracewatch.model.Verification;
import io.tracewatch.model.VerifyRequest;
import io.tracewatch.model.internal.RaisedAlert;
import io.tracewatch.savepoint.SavepointNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/**
 * Answers to verification requests (contract cases.md, "Insurance leads and verification"): a
 * code's custody chain in (event_time, event_id) order, its standing alerts, and its upstream
 * holders, as the detector knows them when the request meets the code's state.
 */
public final class Verifications {
    /** Side output of the detector: one answer per request. */
    public static final OutputTag<Verification> TAG = new OutputTag<>(SavepointNames.VERIFICATIONS_TAG, new AvroTypeInfo<>(Verification.class));

    private Verifications() {}

    /**
     * @param history the code's distinct events in walk order, those a seal kept for a sealed code;
     *     empty when the code was never seen
     * @param raised its standing alerts
     * @param upstream its upstream holders
     * @param sealed whether the code is sealed (contract v1.2, "Years of codes")
     */
    public static Verification answer(VerifyRequest request, List<ScanEvent> history, List<RaisedAlert> raised, List<String> upstream,
            boolean sealed, Instant now) {
        List<CustodyEvent> custody = new ArrayList<>(history.size());
        for (ScanEvent event : history) {
            custody.add(CustodyEvent.newBuilder()
                    .setEventId(event.getEventId())
                    .setEventType(event.getEventType())
                    .setEventTime(event.getEventTime())
                    .setPartyId(event.getPartyId())
                    .setPartyType(event.getPartyType())
                    .setRegion(event.getRegion())
                    .setCounterpartyId(event.getCounterpartyId())
                    .build());
        }
        List<StandingAlert> standing = new ArrayList<>(raised.size());
        for (RaisedAlert alert : raised) {
            standing.add(new StandingAlert(AlertIds.of(alert.getRule(), request.getCode(), alert.getTriggerEventId()), alert.getRule(),
                    alert.getTriggerEventId()));
        }
        return Verification.newBuilder()
                .setRequestId(request.getRequestId())
                .setCode(request.getCode())
                .setRequestedBy(request.getRequestedBy())
                .setKnown(sealed || !history.isEmpty())
                .setCustody(custody)
                .setStandingAlerts(standing)
                .setUpstream(upstream)
                .setSealed(sealed ? Boolean.TRUE : null)
                .setAnsweredAt(now)
                .build();
    }
}
