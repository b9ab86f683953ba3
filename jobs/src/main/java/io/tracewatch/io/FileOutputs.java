package io.tracewatch.io;

import io.tracewatch.model.Alert;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.Lead;
import io.tracewatch.model.Verification;
import java.nio.file.Path;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Alerts and dead letters to local files, as the replay command writes them. */
public final class FileOutputs implements Outputs {
    private final Path alertsFile;
    private final Path deadLetterFile;
    private Path casesFile;
    private Path leadsFile;
    private Path verificationsFile;

    /** Each file is JSON Lines, or an Avro container file when its own name ends in .avro. */
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
        verifications.sinkTo(SingleFileSink.jsonLines(verificationsFile, (Verification v) -> RecordJson.encode(v)))
                .setParallelism(1)
                .name("verifications file")
                .uid("verifications-file");
    }

    @Override
    public void cases(DataStream<CaseRecord> cases) {
        if (casesFile == null) {
            Outputs.super.cases(cases);
            return;
        }
        cases.sinkTo(avro(casesFile)
                        ? SingleFileSink.avroContainer(casesFile, CaseRecord.class)
                        : SingleFileSink.jsonLines(casesFile, (CaseRecord c) -> RecordJson.encode(c)))
                .setParallelism(1)
                .name("cases file")
                .uid("cases-file");
    }

    @Override
    public void leads(DataStream<Lead> leads) {
        if (leadsFile == null) {
            Outputs.super.leads(leads);
            return;
        }
        leads.sinkTo(avro(leadsFile)
                        ? SingleFileSink.avroContainer(leadsFile, Lead.class)
                        : SingleFileSink.jsonLines(leadsFile, (Lead l) -> RecordJson.encode(l)))
                .setParallelism(1)
                .name("leads file")
                .uid("leads-file");
    }

    @Override
    public void alerts(DataStream<Alert> alerts) {
        alerts.sinkTo(avro(alertsFile)
                        ? SingleFileSink.avroContainer(alertsFile, Alert.class)
                        : SingleFileSink.jsonLines(alertsFile, AlertJson::encode))
                .setParallelism(1)
                .name("alerts file")
                .uid("alerts-file");
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        deadLetters.sinkTo(avro(deadLetterFile)
                        ? SingleFileSink.avroContainer(deadLetterFile, DeadLetter.class)
                        : SingleFileSink.jsonLines(deadLetterFile, DeadLetterJson::encode))
                .setParallelism(1)
                .name("dead-letter file")
                .uid("dead-letter-file");
    }
}
