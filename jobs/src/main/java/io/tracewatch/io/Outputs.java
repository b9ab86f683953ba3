package io.tracewatch.io;

import io.tracewatch.model.Alert;
import io.tracewatch.model.DeadLetter;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Where the pipeline's results go: alerts, and dead letters beside them. */
public interface Outputs {

    void alerts(DataStream<Alert> alerts);

    void deadLetters(DataStream<DeadLetter> deadLetters);
}
