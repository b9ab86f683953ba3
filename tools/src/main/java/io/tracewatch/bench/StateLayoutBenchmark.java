package io.tracewatch.bench;

import io.tracewatch.io.CodeStateSerializer;
import io.tracewatch.io.IngestedSerializer;
import io.tracewatch.io.file.FileScanSource;
import io.tracewatch.job.DetectionTopology;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.internal.CodeState;
import io.tracewatch.model.internal.Ingested;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * Issue 16's question about the state layout, measured on RocksDB: does a code's state cost less
 * as a small summary plus one entry per event (a scan then writes its own entry only) than as one
 * value read and written whole? Judging walks the whole history, so both layouts read every event
 * each time; only the writes differ. Each run reads a code's state and writes it back once per scan,
 * as the detector does when it judges, with no rules, so the difference is the layout's alone.
 */
final class StateLayoutBenchmark {
    private final Benchmarks bench;
    private final PrintStream log;

    StateLayoutBenchmark(Benchmarks bench, PrintStream log) {
        this.bench = bench;
        this.log = log;
    }

    List<Result> run(long events) throws Exception {
        Path file = bench.traffic(events);
        long records = Benchmarks.lines(file);
        log.println("  state layout: warming up...");
        run(file, new WholeValue());
        List<Result> results = new ArrayList<>();
        log.println("  state layout: one value per code...");
        Result whole = Result.of("state layout", "one value per code (today)", records, run(file, new WholeValue()));
        results.add(whole);
        log.println("  state layout: summary + an entry per event...");
        Result split = Result.of("state layout", "summary + map entry per event", records, run(file, new SummaryAndEntries()));
        results.add(split.with("of_one_value", split.eventsPerSecond() / whole.eventsPerSecond()));
        return results;
    }

    private double run(Path file, KeyedProcessFunction<String, Ingested, Void> layout) throws Exception {
        TracewatchConfig config = bench.config("job.state_backend=rocksdb");
        StreamExecutionEnvironment env = bench.environment(config, false);
        DetectionTopology.decode(env, config, new FileScanSource(List.of(file)))
                .keyBy(scan -> scan.getEvent().getCode(), Types.STRING)
                .process(layout, Types.VOID)
                .sinkTo(new DiscardingSink<>());
        return env.execute("bench state layout").getNetRuntime(TimeUnit.MILLISECONDS) / 1000.0;
    }

    /** Today's layout: the history inside the one value. */
    static final class WholeValue extends KeyedProcessFunction<String, Ingested, Void> {
        private transient ValueState<CodeState> state;

        @Override
        public void open(OpenContext context) {
            state = getRuntimeContext().getState(new ValueStateDescriptor<>("code-state", CodeStateSerializer.TYPE));
        }

        @Override
        public void processElement(Ingested scan, Context context, Collector<Void> out) throws Exception {
            CodeState value = state.value();
            if (value == null) {
                value = CodeStateSerializer.INSTANCE.createInstance();
            }
            value.getHistory().add(scan.getEvent());
            value.getContents().add(scan.getContent());
            state.update(value);
        }
    }

    /** The split layout: the summary without events, and each event in a map entry under its position. */
    static final class SummaryAndEntries extends KeyedProcessFunction<String, Ingested, Void> {
        private transient ValueState<CodeState> summary;
        private transient MapState<Integer, Ingested> events;

        @Override
        public void open(OpenContext context) {
            summary = getRuntimeContext().getState(new ValueStateDescriptor<>("code-summary", CodeStateSerializer.TYPE));
            events = getRuntimeContext().getMapState(new MapStateDescriptor<>("code-events", Types.INT, IngestedSerializer.TYPE));
        }

        @Override
        public void processElement(Ingested scan, Context context, Collector<Void> out) throws Exception {
            CodeState value = summary.value();
            if (value == null) {
                value = CodeStateSerializer.INSTANCE.createInstance();
            }
            int held = 0;
            for (Map.Entry<Integer, Ingested> entry : events.entries()) {
                held += entry.getValue().getEvent() != null ? 1 : 0;
            }
            events.put(held, scan);
            summary.update(value);
        }
    }
}
