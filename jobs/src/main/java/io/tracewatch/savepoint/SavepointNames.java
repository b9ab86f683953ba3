package io.tracewatch.savepoint;

/**
 * Every name a savepoint finds the job's state by, in one place: operator uids, state names, timer
 * service names, and the side outputs' tags beside them. A savepoint maps its state to operators
 * by uid and to state by name: changing one of these makes the state of every earlier savepoint
 * unclaimed, so they never change (SavepointNamesTest pins them). The serializers' class names are
 * in savepoints too: they stay in {@code io.tracewatch.io}.
 */
public final class SavepointNames {
    private SavepointNames() {}

    // operator uids: sources
    public static final String SCAN_FILES_UID = "scan-files";
    public static final String SCAN_KAFKA_UID = "scan-kafka";
    public static final String CASE_ACTIONS_KAFKA_UID = "case-actions-kafka";
    public static final String VERIFY_REQUESTS_KAFKA_UID = "verify-requests-kafka";
    public static final String REFERENCE_KAFKA_UID = "reference-kafka";

    // operator uids: the topology
    public static final String ROUTE_UID = "route-dead-letters";
    public static final String DETECTOR_UID = "code-detector";
    public static final String CASES_UID = "case-stage";
    public static final String ACTIONS_ROUTE_UID = "route-action-dead-letters";
    public static final String REFERENCE_ROUTE_UID = "route-reference-dead-letters";
    public static final String REQUESTS_UID = "verify-requests-without-event-time";
    public static final String REQUESTS_ROUTE_UID = "route-request-dead-letters";
    /**
     * The stand-in for the reference input of the detector run alone (benchmarks). Not the live
     * job's uid: that stand-in ends, and a checkpoint holding it as finished would not restore into
     * the live job, whose reference input runs.
     */
    public static final String DETECTOR_ALONE_REFERENCE_UID = "detector-alone-reference";
    /** Suffix of the stand-in for a secondary input that is missing. */
    public static final String NONE_SUFFIX = "-none";
    /** Suffix of the operator that keeps a secondary input's time from moving the scans' event time. */
    public static final String WITHOUT_EVENT_TIME_SUFFIX = "-without-event-time";

    // operator uids: sinks (the Kafka sinks' transactions are state)
    public static final String ALERTS_KAFKA_UID = "alerts-kafka";
    public static final String DEAD_LETTERS_KAFKA_UID = "dead-letters-kafka";
    public static final String CASES_KAFKA_UID = "cases-kafka";
    public static final String LEADS_KAFKA_UID = "leads-kafka";
    public static final String VERIFICATIONS_KAFKA_UID = "verifications-kafka";
    /** Suffix of a replay's file sink after the output's name ("alerts", "cases", ...). */
    public static final String FILE_SINK_SUFFIX = "-file";
    public static final String ALERTS_DISCARD_UID = "alerts-discard";
    public static final String CASES_DISCARD_UID = "cases-discard";
    public static final String VERIFICATIONS_DISCARD_UID = "verifications-discard";
    public static final String LEADS_DISCARD_UID = "leads-discard";

    // state of the detector
    /** Each code's history and alerts, keyed state. */
    public static final String CODE_STATE = "code-state";
    /** The arrival buffer's scans, union operator state. */
    public static final String BUFFERED_SCANS = "buffered-scans";
    /** The arrival buffer's codes, union operator state. */
    public static final String WAITING_CODES = "waiting-codes";
    /** The arrival buffer's scans as tuples, by release 8f82554: read on restore, then left empty. */
    public static final String TUPLE_BUFFERED_SCANS = "arrival-buffer";
    /** The arrival buffer's codes as tuples, by release 8f82554: read on restore, then left empty. */
    public static final String TUPLE_WAITING_CODES = "codes-waiting";
    /** Per-code judging timers; the name they had as a KeyedBroadcastProcessFunction's. */
    public static final String JUDGE_TIMERS = "user-timers";
    public static final String RETENTION_TIMERS = "retention-timers";
    /** Versions of the party register and settings, broadcast state. */
    public static final String REFERENCE_VERSIONS = "reference-versions";
    public static final String REFERENCE_READY = "reference-ready";
    /** Versions of the recalls, by recall_id, broadcast state. */
    public static final String RECALL_VERSIONS = "recall-versions";

    // state of the case stage
    public static final String CASES = "cases";
    public static final String CASE_MEMBERS = "case-members";
    public static final String CASE_EMIT_TIMER = "emit-timer";

    // side outputs
    public static final String DEAD_LETTERS_TAG = "dead-letters";
    public static final String LEADS_TAG = "leads";
    public static final String VERIFICATIONS_TAG = "verifications";
}
