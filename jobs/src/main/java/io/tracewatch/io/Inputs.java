package io.tracewatch.io;

/**
 * What the pipeline reads: scans always; case actions when someone handles cases (the live job);
 * verification requests when someone asks.
 *
 * @param actions null when no actions arrive (a replay)
 * @param requests null when no verification is asked for
 */
public record Inputs(ScanSource scans, ActionSource actions, RequestSource requests) {

    public static Inputs of(ScanSource scans) {
        return new Inputs(scans, null, null);
    }

    public Inputs withActions(ActionSource source) {
        return new Inputs(scans, source, requests);
    }

    public Inputs withRequests(RequestSource source) {
        return new Inputs(scans, actions, source);
    }
}
