package io.tracewatch.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.model.Alert;
import io.tracewatch.model.ScanEvent;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** How the feed's routes answer: JSON bodies, errors as {@code {"error": ...}}, and the query numbers they take. */
final class Responses {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 10_000;

    private Responses() {}

    static void json(Context ctx, String body) {
        ctx.contentType("application/json").result(body);
    }

    static void json(Context ctx, Object value) throws JsonProcessingException {
        json(ctx, JSON.writeValueAsString(value));
    }

    static void error(Context ctx, HttpStatus status, String message) {
        ctx.status(status);
        json(ctx, "{\"error\":" + quoted(message) + "}");
    }

    /** A whole number from the query, between 0 and {@code max}; the fallback when absent. */
    static int number(Context ctx, String name, int fallback, int max) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 0 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number from 0 to " + max);
    }

    static String array(List<Alert> alerts) {
        return alerts.stream().map(AlertJson::encode).collect(Collectors.joining(",", "[", "]"));
    }

    static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the register says of the parties some events name (as party or counterparty), by party_id. */
    static String parties(PartyBook register, List<ScanEvent> events) {
        Set<String> ids = new LinkedHashSet<>();
        for (ScanEvent event : events) {
            ids.add(event.getPartyId());
            if (event.getCounterpartyId() != null) {
                ids.add(event.getCounterpartyId());
            }
        }
        Instant now = Instant.now();
        return ids.stream()
                .map(id -> register.at(id, now))
                .filter(Objects::nonNull)
                .map(p -> quoted(p.getPartyId()) + ":" + RecordJson.encode(p))
                .collect(Collectors.joining(",", "{", "}"));
    }
}
