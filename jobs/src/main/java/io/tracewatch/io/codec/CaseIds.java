package io.tracewatch.io.codec;

/**
 * The text form of a case_id (contract cases.md, "Case key and membership"):
 * {@code <party_id>@<period>}. A period never holds the separator, so the last one splits the id
 * even when the party's id holds one.
 */
public final class CaseIds {
    private static final char SEPARATOR = '@';

    private CaseIds() {}

    /** The case_id of a party and period: deterministic, readable, and the party can be read back from it. */
    public static String of(String partyId, String period) {
        return partyId + SEPARATOR + period;
    }

    /** The party of a case_id, or null when it is not one. */
    public static String partyOf(String caseId) {
        int at = caseId.lastIndexOf(SEPARATOR);
        return at <= 0 || at == caseId.length() - 1 ? null : caseId.substring(0, at);
    }

    /** The period of a case_id, or null when it is not one. */
    public static String periodOf(String caseId) {
        int at = caseId.lastIndexOf(SEPARATOR);
        return at <= 0 || at == caseId.length() - 1 ? null : caseId.substring(at + 1);
    }
}
