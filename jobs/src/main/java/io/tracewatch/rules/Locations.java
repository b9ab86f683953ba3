package io.tracewatch.rules;

import io.tracewatch.model.PartyRecord;
import io.tracewatch.model.ScanEvent;

/**
 * Where an event happened for the travel check: its own valid lat/lon, or else its party's
 * registered site when the applicable register version has both (contract reference-data.md,
 * "Registered location").
 */
final class Locations {
    private Locations() {}

    /** {lat, lon}, or null when the event has no location. */
    static double[] of(ScanEvent event, Reference reference) {
        if (Events.hasLocation(event)) {
            return new double[] {event.getLat(), event.getLon()};
        }
        if (!reference.hasRegister()) {
            return null;
        }
        PartyRecord version = reference.party(event.getPartyId(), event.getEventTime());
        if (version == null || version.getLat() == null || version.getLon() == null) {
            return null;
        }
        return new double[] {version.getLat(), version.getLon()};
    }
}
