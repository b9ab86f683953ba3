package io.tracewatch.microbench;

import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.io.CodeStateSerializer;
import io.tracewatch.io.codec.ScanEventAvro;
import io.tracewatch.io.codec.ScanEventJson;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.CodeState;
import io.tracewatch.rules.Events;
import io.tracewatch.rules.Finding;
import io.tracewatch.rules.HistoryWalk;
import io.tracewatch.rules.Reference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The work done per scan on the hot path, one operation at a time, on typical generated data: a
 * JSON line and its Avro form decoded, a whole pack history walked by the three rules, and a
 * code's state written and read as RocksDB does on every scan.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPaths {
    private String jsonLine;
    private byte[] avroRecord;
    private List<ScanEvent> history;
    private CodeState state;
    private byte[] serializedState;
    private HistoryWalk walk;
    private Reference reference;
    private final DataOutputSerializer output = new DataOutputSerializer(4096);
    private final DataInputDeserializer input = new DataInputDeserializer();

    @Setup
    public void generate() throws IOException {
        Map<String, List<ScanEvent>> histories = new LinkedHashMap<>();
        new ScanGenerator(ScanGenerator.Settings.defaults(3, 200).withAnomalyRate(0.3), label -> {}).forEachRemaining(scan -> {
            if (scan.event() != null) {
                histories.computeIfAbsent(scan.event().getCode(), c -> new ArrayList<>()).add(scan.event());
            }
        });
        // a typical pack: the most common history length
        history = histories.values().stream().filter(h -> h.size() >= 6).findFirst().orElseThrow().stream()
                .distinct().sorted(Events.EVENT_TIME_ORDER).toList();
        jsonLine = ScanEventJson.encode(history.get(history.size() - 1));
        avroRecord = ScanEventAvro.encode(history.get(history.size() - 1));
        walk = HistoryWalk.standard();
        reference = Reference.none(TracewatchConfig.defaults().detection().ruleSettings());
        // each event's content fingerprint beside it, as ingestion computes it
        List<Long> contents = history.stream().map(e -> ScanEventJson.decode(ScanEventJson.encode(e)).content()).toList();
        state = CodeState.newBuilder().setHistory(new ArrayList<>(history)).setContents(new ArrayList<>(contents))
                .setRaised(new ArrayList<>()).build();
        output.clear();
        CodeStateSerializer.INSTANCE.serialize(state, output);
        serializedState = output.getCopyOfBuffer();
    }

    @Benchmark
    public ScanEventJson.Decoded decodeJsonLine() {
        return ScanEventJson.decode(jsonLine);
    }

    @Benchmark
    public ScanEventJson.Decoded decodeAvroRecord() {
        return ScanEventAvro.decode(avroRecord);
    }

    @Benchmark
    public List<Finding> walkTypicalHistory() {
        return walk.findings(history, reference);
    }

    @Benchmark
    public int writeCodeState() throws IOException {
        output.clear();
        CodeStateSerializer.INSTANCE.serialize(state, output);
        return output.length();
    }

    @Benchmark
    public CodeState readCodeState() throws IOException {
        input.setBuffer(serializedState);
        return CodeStateSerializer.INSTANCE.deserialize(input);
    }
}
