package io.tracewatch.io.file;

import io.tracewatch.io.codec.PartyCsv;
import io.tracewatch.io.codec.ReferenceJson;
import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.io.ports.ReferenceSource;
import io.tracewatch.model.internal.ReferenceRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A replay's reference data: a register file, a settings file and a recall list (JSON Lines; a
 * register may also be CSV), read completely when the job is built, so that no scan is judged
 * before all of it is known. Records that break the contract's table become dead letters.
 */
public final class FileReferenceSource implements ReferenceSource {
    private final List<ReferenceRecord> records;
    private final boolean register;

    private FileReferenceSource(List<ReferenceRecord> records, boolean register) {
        this.records = records;
        this.register = register;
    }

    /**
     * @param parties a register file, or null
     * @param settings a settings file, or null
     */
    public static FileReferenceSource read(Path parties, Path settings) {
        return read(parties, settings, null);
    }

    /**
     * @param parties a register file, or null
     * @param settings a settings file, or null
     * @param recalls a recall list, or null
     */
    public static FileReferenceSource read(Path parties, Path settings, Path recalls) {
        return of(parties == null ? null : readParties(parties), settings == null ? List.of() : readLines(settings, ReferenceJson.Kind.SETTINGS),
                recalls == null ? List.of() : readLines(recalls, ReferenceJson.Kind.RECALL));
    }

    /**
     * Records already read, then the mark that all of them are in.
     *
     * @param parties a register's records, or null when there is no register
     */
    public static FileReferenceSource of(List<ReferenceRecord> parties, List<ReferenceRecord> settings, List<ReferenceRecord> recalls) {
        List<ReferenceRecord> records = new ArrayList<>();
        if (parties != null) {
            records.addAll(parties);
        }
        records.addAll(settings);
        records.addAll(recalls);
        records.add(ReferenceRecord.newBuilder().setReady(true).build());
        return new FileReferenceSource(records, parties != null);
    }

    /** A register file: JSON Lines, or CSV with a header row of the record's field names. */
    public static List<ReferenceRecord> readParties(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")
                ? PartyCsv.read(file)
                : readLines(file, ReferenceJson.Kind.PARTY);
    }

    public static List<ReferenceRecord> readLines(Path file, ReferenceJson.Kind kind) {
        List<ReferenceRecord> records = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = i == 0 && lines.get(i).startsWith("\uFEFF") ? lines.get(i).substring(1) : lines.get(i);
                if (!line.isBlank()) {
                    records.add(ReferenceJson.decode(kind, line.getBytes(StandardCharsets.UTF_8), new DeadLetters.Origin(file.toString(), i + 1, null)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return records;
    }

    public List<ReferenceRecord> records() {
        return records;
    }

    @Override
    public DataStream<ReferenceRecord> create(StreamExecutionEnvironment env) {
        return env.fromData(records, new AvroTypeInfo<>(ReferenceRecord.class))
                .setParallelism(1)
                .assignTimestampsAndWatermarks(WatermarkStrategy.noWatermarks())
                .setParallelism(1)
                .name("reference data files");
    }

    @Override
    public boolean register() {
        return register;
    }
}
