package io.tracewatch.io.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.Severity;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The JSON Lines form of an alert (contract, "Alert"), both ways. */
public final class AlertJson {
    private static final ObjectMapper MAPPER = new ObjectMapper(ScanEventJson.JSON);

    private AlertJson() {}

    public static String encode(Alert alert) {
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator g = ScanEventJson.JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("status", alert.getStatus().name());
            g.writeStringField("alert_id", alert.getAlertId());
            g.writeStringField("rule", alert.getRule());
            g.writeStringField("rule_version", alert.getRuleVersion());
            g.writeStringField("severity", alert.getSeverity().name());
            g.writeStringField("code", alert.getCode());
            optional(g, "product_code", alert.getProductCode());
            optional(g, "batch", alert.getBatch());
            g.writeStringField("trigger_event_id", alert.getTriggerEventId());
            g.writeStringField("event_time", Times.iso(alert.getEventTime(), alert.getEventTimeOffsetS()));
            g.writeStringField("detected_at", Times.isoUtc(alert.getDetectedAt()));
            g.writeStringField("party_id", alert.getPartyId());
            optional(g, "region", alert.getRegion());
            optional(g, "region_source", alert.getRegionSource());
            optional(g, "cause", alert.getCause());
            optional(g, "recall_id", alert.getRecallId());
            g.writeArrayFieldStart("evidence");
            for (ScanEvent event : alert.getEvidence()) {
                ScanEventJson.write(g, event);
            }
            g.writeEndArray();
            if (alert.getEvidenceOmitted() > 0) {
                g.writeNumberField("evidence_omitted", alert.getEvidenceOmitted());
            }
            g.writeStringField("explanation", alert.getExplanation());
            g.writeStringField("explanation_zh", alert.getExplanationZh());
            if (alert.getLateBeyondSeal()) {
                g.writeBooleanField("late_beyond_seal", true);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void optional(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /**
     * Reads an alert written by {@link #encode}.
     *
     * @throws IllegalArgumentException when the line is not such an alert
     */
    public static Alert decode(String line) {
        return decode(line, true);
    }

    /**
     * Reads an alert written by {@link #encode}, its evidence only if asked: reading each evidence
     * event as a scan is most of the work, and a final set of alerts does not keep it.
     *
     * @throws IllegalArgumentException when the line is not such an alert
     */
    public static Alert decode(String line, boolean withEvidence) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON alert: " + ScanChecks.quote(line), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON alert: " + ScanChecks.quote(line));
        }
        OffsetDateTime eventTime = Times.parseOffsetDateTime(required(node, "event_time"));
        List<ScanEvent> evidence = new ArrayList<>();
        for (JsonNode item : withEvidence ? node.path("evidence") : MAPPER.createArrayNode()) {
            ScanEventJson.Decoded decoded = ScanEventJson.decode(item.toString());
            if (decoded.event() == null) {
                throw new IllegalArgumentException("alert evidence unreadable: " + decoded.error());
            }
            evidence.add(decoded.event());
        }
        return Alert.newBuilder()
                .setStatus(AlertStatus.valueOf(required(node, "status")))
                .setAlertId(required(node, "alert_id"))
                .setRule(required(node, "rule"))
                .setRuleVersion(required(node, "rule_version"))
                .setSeverity(Severity.valueOf(required(node, "severity")))
                .setCode(required(node, "code"))
                .setProductCode(node.path("product_code").textValue())
                .setBatch(node.path("batch").textValue())
                .setTriggerEventId(required(node, "trigger_event_id"))
                .setEventTime(Times.toMicros(eventTime.toInstant()))
                .setEventTimeOffsetS(eventTime.getOffset().getTotalSeconds())
                .setDetectedAt(Instant.parse(required(node, "detected_at")))
                .setPartyId(required(node, "party_id"))
                .setRegion(node.path("region").textValue())
                .setRegionSource(node.path("region_source").textValue())
                .setCause(node.path("cause").textValue())
                .setRecallId(node.path("recall_id").textValue())
                .setEvidence(evidence)
                .setExplanation(required(node, "explanation"))
                .setExplanationZh(node.path("explanation_zh").asText(""))
                .setEvidenceOmitted(node.path("evidence_omitted").asInt(0))
                .setLateBeyondSeal(node.path("late_beyond_seal").asBoolean(false))
                .build();
    }

    private static String required(JsonNode node, String field) {
        String value = node.path(field).textValue();
        if (value == null) {
            throw new IllegalArgumentException("alert without " + field);
        }
        return value;
    }
}
