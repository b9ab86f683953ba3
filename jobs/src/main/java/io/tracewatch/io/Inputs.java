package io.tracewatch.io;

/**
 * What the pipeline reads: scans always; case actions when someone handles cases (the live job).
 *
 * @param actions null when no actions arrive (a replay)
 */
public record Inputs(ScanSource scans, ActionSource actions) {

    public static Inputs of(ScanSource scans) {
        return new Inputs(scans, null);
    }

    public Inputs withActions(ActionSource source) {
        return new Inputs(scans, source);
    }
}
