package io.tracewatch.io;

import io.tracewatch.model.Alert;
import io.tracewatch.model.DeadLetter;
import java.nio.file.Path;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Alerts and dead letters as JSON Lines files, as the replay command writes them. */
public final class JsonFileOutputs implements Outputs {
    private final Path alertsFile;
    private final Path deadLetterFile;

    public JsonFileOutputs(Path alertsFile, Path deadLetterFile) {
        this.alertsFile = alertsFile;
        this.deadLetterFile = deadLetterFile;
    }

    @Override
    public void alerts(DataStream<Alert> alerts) {
        alerts.sinkTo(new JsonLinesFileSink<>(alertsFile, AlertJson::encode))
                .setParallelism(1)
                .name("alerts file")
                .uid("alerts-file");
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        deadLetters.sinkTo(new JsonLinesFileSink<>(deadLetterFile, DeadLetterJson::encode))
                .setParallelism(1)
                .name("dead-letter file")
                .uid("dead-letter-file");
    }
}
