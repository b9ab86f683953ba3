package io.tracewatch.io.ports;

/**
 * What the pipeline reads: scans always; case actions when someone handles cases (the live job);
 * verification requests when someone asks; reference data when there is a register or settings.
 *
 * @param actions null when no actions arrive (a replay)
 * @param requests null when no verification is asked for
 * @param reference null when there is neither a register nor settings versions
 */
public record Inputs(ScanSource scans, ActionSource actions, RequestSource requests, ReferenceSource reference) {

    public static Inputs of(ScanSource scans) {
        return new Inputs(scans, null, null, null);
    }

    public Inputs withActions(ActionSource source) {
        return new Inputs(scans, source, requests, reference);
    }

    public Inputs withRequests(RequestSource source) {
        return new Inputs(scans, actions, source, reference);
    }

    public Inputs withReference(ReferenceSource source) {
        return new Inputs(scans, actions, requests, source);
    }
}
