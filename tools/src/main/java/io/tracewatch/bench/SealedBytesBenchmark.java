package io.tracewatch.bench;

import io.tracewatch.alert.AlertFactory;
import io.tracewatch.cases.CasePeriod;
import io.tracewatch.detect.AlertJudge;
import io.tracewatch.detect.CodeHistory;
import io.tracewatch.detect.DetectionConfig;
import io.tracewatch.detect.DetectorOutput;
import io.tracewatch.detect.Sealing;
import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.io.CodeStateSerializer;
import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.io.codec.ScanDecoder;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.Alert;
import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.Lead;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.BufferedScan;
import io.tracewatch.model.internal.CodeState;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.rules.HistoryWalk;
import io.tracewatch.rules.Reference;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Issue 25's bytes per sealed code, before RocksDB: generated packs with realistic identifiers
 * (event ids of 32 hex characters, transaction ids of 20), each merged and judged whole as the
 * detector does, then sealed (contract v1.2). Prints the serialized bytes of a code's state whole
 * and sealed, and what a seal keeps. RocksDB's block compression and its per-key overhead come on
 * top; {@code bench --only state} measures those with short ids.
 */
final class SealedBytesBenchmark {
    private static final DetectorOutput DISCARD = new DetectorOutput() {
        @Override
        public void alert(Alert alert) {}

        @Override
        public void lead(Lead lead) {}

        @Override
        public void deadLetter(DeadLetter deadLetter) {}

        @Override
        public void count(Count what) {}
    };

    private final PrintStream log;
    private final List<CodeState> sealed = new ArrayList<>();

    SealedBytesBenchmark(PrintStream log) {
        this.log = log;
    }

    Result run(int codes) throws Exception {
        TracewatchConfig config = TracewatchConfig.defaults();
        DetectionConfig detection = config.detection();
        Reference reference = Reference.none(detection.ruleSettings());
        HistoryWalk walk = HistoryWalk.standard();
        Sealing sealing = new Sealing(detection, walk);
        CodeHistory histories = new CodeHistory(detection,
                new AlertJudge(walk, new AlertFactory(walk.rules(), detection.maxAlertBytes()), CasePeriod.MONTH, DISCARD), sealing, DISCARD);
        ScanDecoder decoder = ScanDecoder.of(config.ingest());
        log.printf("  sealed bytes: generating %,d codes with realistic ids...%n", codes);
        Map<String, List<Ingested>> byCode = new LinkedHashMap<>();
        Map<String, String> transactions = new HashMap<>();
        long position = 0;
        for (ScanGenerator generator = new ScanGenerator(ScanGenerator.Settings.defaults(Benchmarks.TRAFFIC_SEED, codes), label -> {});
                generator.hasNext(); ) {
            ScanEvent event = generator.next().event();
            if (event == null) {
                continue;
            }
            ScanEvent realistic = ScanEvent.newBuilder(event)
                    .setEventId(hex32(event.getEventId()))
                    .setTransactionId(event.getTransactionId() == null ? null
                            : transactions.computeIfAbsent(event.getTransactionId(), t -> String.format("TX%018d", transactions.size())))
                    .build();
            Ingested scan = decoder.event(realistic, new DeadLetters.Origin("bench", ++position, null));
            if (scan.getEvent() != null) {
                byCode.computeIfAbsent(realistic.getCode(), c -> new ArrayList<>()).add(scan);
            }
        }
        long started = System.nanoTime();
        long wholeBytes = 0;
        long sealedBytes = 0;
        long kept = 0;
        long others = 0;
        long events = 0;
        for (List<Ingested> scans : byCode.values()) {
            CodeState state = CodeStateSerializer.INSTANCE.createInstance();
            for (Ingested scan : scans) {
                // the watermark just past the scan: it is merged and judged at once
                histories.merge(state, new BufferedScan(scan, scan.getEvent().getEventTime().toEpochMilli() + 1, 0L, 0L), true, () -> reference);
            }
            events += scans.size();
            wholeBytes += bytes(state);
            sealing.seal(state, reference);
            sealed.add(state);
            sealedBytes += bytes(state);
            kept += state.getSeal().getKept().size();
            others += state.getSeal().getOthers().size();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int held = byCode.size();
        return Result.of("sealed bytes", String.format("%,d codes, realistic ids", held), events, seconds)
                .with("codes", held)
                .with("whole_bytes_per_code", (double) wholeBytes / held)
                .with("bytes_per_sealed_code", (double) sealedBytes / held)
                .with("sealed_of_whole", (double) sealedBytes / wholeBytes)
                .with("kept_events_per_seal", (double) kept / held)
                .with("fingerprints_per_seal", (double) others / held);
    }

    /** The sealed codes of the last {@link #run}. */
    List<CodeState> sealed() {
        return sealed;
    }

    private static long bytes(CodeState state) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        CodeStateSerializer.INSTANCE.serialize(state, out);
        return out.length();
    }

    /** 32 hex characters from an id, as uploaders' UUIDs without dashes look. */
    private static String hex32(String id) {
        long a = id.hashCode() * 0x9E3779B97F4A7C15L;
        long b = (a ^ (a >>> 29)) * 0xBF58476D1CE4E5B9L;
        return String.format("%016x%016x", a, b);
    }
}
