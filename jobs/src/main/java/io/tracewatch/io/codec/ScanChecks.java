package io.tracewatch.io.codec;

import io.tracewatch.model.ScanEvent;

/**
 * The contract's constraints on field values, whatever format the event came in: a broken required
 * field refuses the event, an invalid optional field is read as absent and counted.
 */
final class ScanChecks {
    private static final int MAX_EVENT_ID_LENGTH = 128;
    private static final int MAX_QUOTED_LENGTH = 40;
    private static final int MIN_YEAR = 1970;
    private static final int MAX_YEAR = 9999;
    private static final long MIN_EPOCH_SECOND = java.time.Instant.parse(MIN_YEAR + "-01-01T00:00:00Z").getEpochSecond();
    private static final long MAX_EPOCH_SECOND = java.time.Instant.parse(MAX_YEAR + "-12-31T23:59:59Z").getEpochSecond();

    private static final int MAX_OFFSET_SECONDS = 18 * 3600;
    private static final int MAX_DATE_YEAR = 9999;

    private ScanChecks() {}

    /** Why the event's required fields break the contract, or null when they do not. */
    static String requiredProblem(ScanEvent event) {
        String eventId = event.getEventId();
        if (eventId.isEmpty() || eventId.codePointCount(0, eventId.length()) > MAX_EVENT_ID_LENGTH || !Utf8.isWellFormed(eventId)) {
            return "invalid event_id: must be 1-" + MAX_EVENT_ID_LENGTH + " characters";
        }
        if (!isCode(event.getCode())) {
            return "invalid code " + quote(event.getCode()) + ": must be 8-64 characters of [0-9A-Za-z]";
        }
        long second = event.getEventTime().getEpochSecond();
        if (second < MIN_EPOCH_SECOND || second > MAX_EPOCH_SECOND) {
            return "event_time " + Times.iso(event.getEventTime(), event.getEventTimeOffsetS())
                    + " out of range (years " + MIN_YEAR + "-" + MAX_YEAR + ")";
        }
        if (Math.abs(event.getEventTimeOffsetS()) > MAX_OFFSET_SECONDS) {
            return "invalid event_time offset: " + event.getEventTimeOffsetS() + " s is beyond ±18:00";
        }
        if (event.getPartyId().isBlank()) {
            return "invalid party_id: empty";
        }
        if (!ScanEventJson.withinFieldLimit(event.getPartyId())) {
            return "invalid party_id: more than " + ScanEventJson.MAX_FIELD_CODE_POINTS + " characters or not valid Unicode";
        }
        return null;
    }

    /** Clears the optional fields whose values break the contract; returns how many were cleared. */
    static int clearInvalidOptional(ScanEvent event) {
        int invalid = 0;
        if (event.getRegion() != null && !isRegion(event.getRegion())) {
            event.setRegion(null);
            invalid++;
        }
        boolean latValid = event.getLat() != null && Double.isFinite(event.getLat()) && Math.abs(event.getLat()) <= 90;
        boolean lonValid = event.getLon() != null && Double.isFinite(event.getLon()) && Math.abs(event.getLon()) <= 180;
        if (!latValid || !lonValid) {
            // half a location is no location: one count for the pair
            if (event.getLat() != null || event.getLon() != null) {
                invalid++;
            }
            event.setLat(null);
            event.setLon(null);
        }
        if (event.getExpiryDate() != null && (event.getExpiryDate().getYear() < 0 || event.getExpiryDate().getYear() > MAX_DATE_YEAR)) {
            // not writable as yyyy-MM-dd
            event.setExpiryDate(null);
            invalid++;
        }
        if (event.getPackSize() != null && event.getPackSize() < 1) {
            event.setPackSize(null);
            invalid++;
        }
        if (event.getQuantity() != null && event.getQuantity() < 1) {
            event.setQuantity(null);
            invalid++;
        }
        String[] texts = {event.getCounterpartyId(), event.getProductCode(), event.getBatch(), event.getTransactionId(), event.getPatientRef()};
        for (int i = 0; i < texts.length; i++) {
            if (texts[i] != null && !ScanEventJson.withinFieldLimit(texts[i])) {
                texts[i] = null;
                invalid++;
            }
        }
        event.setCounterpartyId(blankAsAbsent(texts[0]));
        event.setProductCode(blankAsAbsent(texts[1]));
        event.setBatch(blankAsAbsent(texts[2]));
        event.setTransactionId(blankAsAbsent(texts[3]));
        event.setPatientRef(blankAsAbsent(texts[4]));
        return invalid;
    }

    /** 8-64 characters of [0-9A-Za-z]; by hand, as it runs once per scan. */
    static boolean isCode(String code) {
        int length = code.length();
        if (length < 8 || length > 64) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = code.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }

    /** Six digits: an administrative division code. */
    static boolean isRegion(String region) {
        if (region.length() != 6) {
            return false;
        }
        for (int i = 0; i < 6; i++) {
            char c = region.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String blankAsAbsent(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    static String quote(String text) {
        return text.length() <= MAX_QUOTED_LENGTH ? text : text.substring(0, MAX_QUOTED_LENGTH) + "...";
    }
}
