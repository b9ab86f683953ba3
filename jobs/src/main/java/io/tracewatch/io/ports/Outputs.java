package io.tracewatch.io.ports;

import io.tracewatch.model.Alert;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.Lead;
import io.tracewatch.model.Verification;
import io.tracewatch.savepoint.SavepointNames;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/** Where the pipeline's results go: alerts and dead letters beside them, cases and leads when wanted. */
public interface Outputs {

    void alerts(DataStream<Alert> alerts);

    void deadLetters(DataStream<DeadLetter> deadLetters);

    /** Case records, every version; discarded unless an output wants them. */
    default void cases(DataStream<CaseRecord> cases) {
        cases.sinkTo(new DiscardingSink<>()).name("cases discarded").uid(SavepointNames.CASES_DISCARD_UID);
    }

    /** Answers to verification requests; discarded unless an output wants them. */
    default void verifications(DataStream<Verification> verifications) {
        verifications.sinkTo(new DiscardingSink<>()).name("verifications discarded").uid(SavepointNames.VERIFICATIONS_DISCARD_UID);
    }

    /** Leads for insurance, raised and retracted; discarded unless an output wants them. */
    default void leads(DataStream<Lead> leads) {
        leads.sinkTo(new DiscardingSink<>()).name("leads discarded").uid(SavepointNames.LEADS_DISCARD_UID);
    }
}
