package io.tracewatch.insurance;

import io.tracewatch.alert.AlertIds;
import io.tracewatch.model.CustodyEvent;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.StandingAlert;
import io.tracewatch.model.Verification;
import io.tracewatch.model.VerifyRequest;
import io.tracewatch.rules.Custody;
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
    public static final OutputTag<Verification> TAG = new OutputTag<>("verifications", new AvroTypeInfo<>(Verification.class));

    private Verifications() {}

    /**
     * @param history the code's distinct events in walk order; empty when the code was never seen
     * @param raised keys (rule and trigger event_id) of its standing alerts
     */
    public static Verification answer(VerifyRequest request, List<ScanEvent> history, List<String> raised, Instant now) {
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
        for (String key : raised) {
            int bar = key.indexOf('|');
            String rule = key.substring(0, bar);
            String trigger = key.substring(bar + 1);
            standing.add(new StandingAlert(AlertIds.of(rule, request.getCode(), trigger), rule, trigger));
        }
        return Verification.newBuilder()
                .setRequestId(request.getRequestId())
                .setCode(request.getCode())
                .setRequestedBy(request.getRequestedBy())
                .setKnown(!history.isEmpty())
                .setCustody(custody)
                .setStandingAlerts(standing)
                .setUpstream(Custody.upstreamHolders(history))
                .setAnsweredAt(now)
                .build();
    }
}
