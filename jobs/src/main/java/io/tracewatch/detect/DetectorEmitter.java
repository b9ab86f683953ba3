package io.tracewatch.detect;

import io.tracewatch.insurance.Leads;
import io.tracewatch.insurance.Verifications;
import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.model.Alert;
import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.Lead;
import io.tracewatch.model.Verification;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/** The detector's outputs: alerts on the main output, the rest on side outputs, each counted in the metrics. */
final class DetectorEmitter implements DetectorOutput {
    private final Output<StreamRecord<Alert>> output;
    private final DetectorMetrics metrics;

    DetectorEmitter(Output<StreamRecord<Alert>> output, DetectorMetrics metrics) {
        this.output = output;
        this.metrics = metrics;
    }

    @Override
    public void alert(Alert alert) {
        metrics.alert(alert);
        output.collect(new StreamRecord<>(alert));
    }

    @Override
    public void lead(Lead lead) {
        output.collect(Leads.TAG, new StreamRecord<>(lead));
    }

    @Override
    public void deadLetter(DeadLetter deadLetter) {
        metrics.deadLetter();
        output.collect(DeadLetters.TAG, new StreamRecord<>(deadLetter));
    }

    void verification(Verification verification) {
        output.collect(Verifications.TAG, new StreamRecord<>(verification));
    }

    @Override
    public void count(Count what) {
        metrics.count(what);
    }
}
