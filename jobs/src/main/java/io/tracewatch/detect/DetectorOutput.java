package io.tracewatch.detect;

import io.tracewatch.model.Alert;
import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.Lead;

/**
 * Where merging and judging a code's history put what they find: records for the detector's
 * outputs, and what happened for its metrics. The operator writes them to Flink's outputs; tests
 * collect them.
 */
public interface DetectorOutput {
    /** What merging a scan can come to, besides its merge: each is a counter of the detector's. */
    enum Count {
        /** The same event_id with the same content again: dropped. */
        REUPLOAD,
        /** The same event_id with other content: refused to the dead letters. */
        CONFLICTING_DUPLICATE,
        /** An event the code was already judged past: merged and judged at once. */
        LATE_EVENT,
        /** An event older than its sealed code's newest: judged as if right after it (contract v1.2). */
        LATE_BEYOND_SEAL,
        /** The history is full: the latest event is refused or evicted to the dead letters. */
        HISTORY_OVERFLOW
    }

    /** A RAISED or RETRACTED alert. */
    void alert(Alert alert);

    /** A lead for the insurance fund, RAISED or RETRACTED. */
    void lead(Lead lead);

    void deadLetter(DeadLetter deadLetter);

    void count(Count what);
}
