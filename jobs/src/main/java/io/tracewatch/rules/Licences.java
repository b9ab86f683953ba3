package io.tracewatch.rules;

import io.tracewatch.model.PartyRecord;
import io.tracewatch.model.PartyStatus;
import io.tracewatch.model.PartyType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Whether a party may trade in drugs at an event (contract reference-data.md, "Licensed at E"). */
public final class Licences {
    private static final ZoneOffset CST = ZoneOffset.ofHours(8);

    private Licences() {}

    /** Why a party is not licensed at an event. */
    public enum Why { NOT_REGISTERED, SUSPENDED, REVOKED, EXPIRED, NOT_YET_VALID }

    /**
     * Why the party is not licensed at {@code at}, or null when it is.
     *
     * @param version the party's applicable version, or null
     * @param scanType the party_type the scan gives, or null (a counterparty): an INSURER without a
     *     version needs no licence
     */
    public static Why problem(PartyRecord version, PartyType scanType, Instant at) {
        if (version == null) {
            return scanType == PartyType.INSURER ? null : Why.NOT_REGISTERED;
        }
        if (version.getPartyType() == PartyType.INSURER) {
            return null;
        }
        if (version.getStatus() == PartyStatus.SUSPENDED) {
            return Why.SUSPENDED;
        }
        if (version.getStatus() == PartyStatus.REVOKED) {
            return Why.REVOKED;
        }
        LocalDate day = at.atOffset(CST).toLocalDate();
        if (version.getLicenceValidFrom() != null && day.isBefore(version.getLicenceValidFrom())) {
            return Why.NOT_YET_VALID;
        }
        if (version.getLicenceValidTo() != null && day.isAfter(version.getLicenceValidTo())) {
            return Why.EXPIRED;
        }
        return null;
    }
}
