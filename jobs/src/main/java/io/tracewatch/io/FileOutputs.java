package io.tracewatch.io;

import io.tracewatch.model.Alert;
import io.tracewatch.model.DeadLetter;
import java.nio.file.Path;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Alerts and dead letters to local files, as the replay command writes them. */
public final class FileOutputs implements Outputs {
    /** The file formats a replay can write. */
    public enum Format { JSONL, AVRO }

    private final Path alertsFile;
    private final Path deadLetterFile;
    private final Format format;

    public FileOutputs(Path alertsFile, Path deadLetterFile, Format format) {
        this.alertsFile = alertsFile;
        this.deadLetterFile = deadLetterFile;
        this.format = format;
    }

    public FileOutputs(Path alertsFile, Path deadLetterFile) {
        this(alertsFile, deadLetterFile, Format.JSONL);
    }

    @Override
    public void alerts(DataStream<Alert> alerts) {
        alerts.sinkTo(format == Format.AVRO
                        ? SingleFileSink.avroContainer(alertsFile, Alert.class)
                        : SingleFileSink.jsonLines(alertsFile, AlertJson::encode))
                .setParallelism(1)
                .name("alerts file")
                .uid("alerts-file");
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        deadLetters.sinkTo(format == Format.AVRO
                        ? SingleFileSink.avroContainer(deadLetterFile, DeadLetter.class)
                        : SingleFileSink.jsonLines(deadLetterFile, DeadLetterJson::encode))
                .setParallelism(1)
                .name("dead-letter file")
                .uid("dead-letter-file");
    }
}
