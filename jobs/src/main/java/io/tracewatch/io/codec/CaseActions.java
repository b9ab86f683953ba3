package io.tracewatch.io.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracewatch.io.codec.RawRecord;
import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.model.CaseAction;
import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.Disposition;
import io.tracewatch.model.internal.ActionRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/**
 * Case actions as they arrive (contract cases.md, "Handling"): {@code {case_id, action,
 * disposition?, note?, actor, at}}. A record that is not one is refused with the reason, like a
 * scan: actions are never lost, and never dropped silently.
 */
public final class CaseActions {
    public static final Set<String> ACTIONS = Set.of("INVESTIGATE", "CLOSE", "REOPEN");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BYTES = 16 * 1024;
    private static final int MAX_NOTE = 1024;
    private static final int MAX_ACTOR = 256;

    private CaseActions() {}

    /** An action record from its JSON bytes, or the dead letter that says why it is not one. */
    public static ActionRecord decode(byte[] value, DeadLetters.Origin origin) {
        String text = new String(value, StandardCharsets.UTF_8);
        ActionRecord.Builder record = ActionRecord.newBuilder()
                .setRaw(text.length() > 4096 ? text.substring(0, 4096) : text)
                .setSource(origin.source())
                .setPosition(origin.position())
                .setPartition(origin.partition());
        String problem;
        CaseAction action = null;
        if (value.length > MAX_BYTES) {
            problem = "case action too large: " + value.length + " bytes";
        } else {
            try {
                action = parse(JSON.readTree(text));
                problem = null;
            } catch (IllegalArgumentException e) {
                problem = "invalid case action: " + e.getMessage();
            } catch (java.io.IOException e) {
                problem = "invalid case action: not JSON";
            }
        }
        if (problem != null) {
            return record.setDeadLetter(refused(problem, value, origin)).build();
        }
        return record.setAction(action).build();
    }

    /**
     * An action a person takes on a case through the feed: the body {@code {action, disposition?,
     * note?}}, completed with what the feed knows, checked as the job checks an action from the topic.
     *
     * @throws IllegalArgumentException with the reason when the body is not an action
     */
    public static CaseAction request(String body, String caseId, String actor, Instant at) {
        JsonNode node;
        try {
            node = body == null || body.length() > MAX_BYTES ? null : JSON.readTree(body);
        } catch (java.io.IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object {action, disposition?, note?}");
        }
        ObjectNode action = ((ObjectNode) node).deepCopy();
        action.put("case_id", caseId);
        action.put("actor", actor);
        action.put("at", at.toString());
        return parse(action);
    }

    static CaseAction parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String caseId = required(node, "case_id", 4096);
        if (CaseIds.partyOf(caseId) == null) {
            throw new IllegalArgumentException("case_id " + quote(caseId) + " is not party@period");
        }
        String action = required(node, "action", 32);
        if (!ACTIONS.contains(action)) {
            throw new IllegalArgumentException("unknown action " + quote(action) + ": expected INVESTIGATE, CLOSE or REOPEN");
        }
        Disposition disposition = null;
        JsonNode given = node.get("disposition");
        if (given != null && !given.isNull()) {
            try {
                disposition = Disposition.valueOf(given.asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown disposition " + quote(given.asText())
                        + ": expected CONFIRMED, FALSE_ALARM, PROCEDURAL_ERROR or REFERRED");
            }
        }
        String note = optional(node, "note", MAX_NOTE);
        String actor = required(node, "actor", MAX_ACTOR);
        Instant at;
        try {
            at = OffsetDateTime.parse(required(node, "at", 64), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("at must be an ISO-8601 instant with offset");
        }
        return CaseAction.newBuilder()
                .setCaseId(caseId)
                .setAction(action)
                .setDisposition(disposition)
                .setNote(note)
                .setActor(actor)
                .setAt(at)
                .build();
    }

    /** The dead letter of an action that could not be applied, or was not one. */
    public static DeadLetter refused(String reason, byte[] raw, DeadLetters.Origin origin) {
        return DeadLetters.ofText(reason, RawRecord.whole(raw), new String(raw, StandardCharsets.UTF_8), origin, null, null);
    }

    private static String required(JsonNode node, String field, int maxLength) {
        String value = optional(node, field, maxLength);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return value;
    }

    private static String optional(JsonNode node, String field, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        if (value.textValue().length() > maxLength) {
            throw new IllegalArgumentException(field + " longer than " + maxLength + " characters");
        }
        return value.textValue();
    }

    private static String quote(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }
}
