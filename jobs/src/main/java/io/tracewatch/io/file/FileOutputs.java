package io.tracewatch.io.file;

import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.io.codec.DeadLetterJson;
import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.io.ports.Outputs;
import io.tracewatch.model.Alert;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.Lead;
import io.tracewatch.model.Verification;
import io.tracewatch.savepoint.SavepointNames;
import java.nio.file.Path;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.function.SerializableFunction;

/** Alerts and dead letters to local files, as the replay command writes them. */
public final class FileOutputs implements Outputs {
    private final Path alertsFile;
    private final Path deadLetterFile;
    private Path casesFile;
    private Path leadsFile;
    private Path verificationsFile;

    /**
     * Each file is JSON Lines, or an Avro container file when its own name ends in .avro.
     *
     * @param alertsFile null when only the state is wanted (a bootstrap): the alerts are discarded
     */
    public FileOutputs(Path alertsFile, Path deadLetterFile) {
        this.alertsFile = alertsFile;
        this.deadLetterFile = deadLetterFile;
    }

    static boolean avro(Path file) {
        return file.getFileName().toString().endsWith(".avro");
    }

    /** Also writes case records (every version) to {@code file}, JSON Lines, or Avro when it ends in .avro. */
    public FileOutputs withCases(Path file) {
        this.casesFile = file;
        return this;
    }

    /** Also writes insurance leads to {@code file}, JSON Lines, or Avro when it ends in .avro. */
    public FileOutputs withLeads(Path file) {
        this.leadsFile = file;
        return this;
    }

    /** Also writes the answers to verification requests to {@code file}, JSON Lines. */
    public FileOutputs withVerifications(Path file) {
        this.verificationsFile = file;
        return this;
    }

    @Override
    public void verifications(DataStream<Verification> verifications) {
        if (verificationsFile == null) {
            Outputs.super.verifications(verifications);
            return;
        }
        write(verifications, SingleFileSink.jsonLines(verificationsFile, (Verification v) -> RecordJson.encode(v)), "verifications");
    }

    @Override
    public void cases(DataStream<CaseRecord> cases) {
        if (casesFile == null) {
            Outputs.super.cases(cases);
            return;
        }
        write(cases, sink(casesFile, CaseRecord.class, (CaseRecord c) -> RecordJson.encode(c)), "cases");
    }

    @Override
    public void leads(DataStream<Lead> leads) {
        if (leadsFile == null) {
            Outputs.super.leads(leads);
            return;
        }
        write(leads, sink(leadsFile, Lead.class, (Lead l) -> RecordJson.encode(l)), "leads");
    }

    @Override
    public void alerts(DataStream<Alert> alerts) {
        if (alertsFile == null) {
            alerts.sinkTo(new DiscardingSink<>()).name("alerts discarded").uid(SavepointNames.ALERTS_DISCARD_UID);
            return;
        }
        write(alerts, sink(alertsFile, Alert.class, AlertJson::encode), "alerts");
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        write(deadLetters, sink(deadLetterFile, DeadLetter.class, DeadLetterJson::encode), "dead-letter");
    }

    /** An Avro container file when the name ends in .avro, else JSON Lines. */
    private static <T extends SpecificRecord> SingleFileSink<T> sink(Path file, Class<T> type, SerializableFunction<T, String> json) {
        return avro(file) ? SingleFileSink.avroContainer(file, type) : SingleFileSink.jsonLines(file, json);
    }

    /** One writer, as the file is one: its uid ({@code <name>-file}) keeps it in savepoints. */
    private static <T> void write(DataStream<T> records, SingleFileSink<T> sink, String name) {
        records.sinkTo(sink).setParallelism(1).name(name + " file").uid(name + SavepointNames.FILE_SINK_SUFFIX);
    }
}
