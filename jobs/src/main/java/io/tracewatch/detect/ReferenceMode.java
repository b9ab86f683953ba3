package io.tracewatch.detect;

import java.io.Serializable;

/**
 * How the detector gets reference data (contract reference-data.md).
 *
 * @param awaited whether reference data arrives, so that no scan is judged before everything known
 *     at start has been read (a register or settings versions)
 * @param register whether a party register is configured: the fourth rule and the trusted
 *     regions and locations apply only then
 */
public record ReferenceMode(boolean awaited, boolean register) implements Serializable {
    public static final ReferenceMode NONE = new ReferenceMode(false, false);
}
