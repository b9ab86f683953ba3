package io.tracewatch.detect;

import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.model.Alert;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.CodeState;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.rules.Events;
import io.tracewatch.savepoint.SavepointNames;
import io.tracewatch.testing.Decoding;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;

/**
 * What a savepoint fixture under {@code src/test/resources/savepoints/} (or
 * {@code savepoints-with-buffer/}) holds beside its {@code _metadata}: the input its job read, the
 * alerts it wrote before the savepoint, and (from format 5 on) each code's state as the release
 * that wrote it read it back. The tools module's {@code SavepointFixture} writes them.
 */
public final class SavepointFixtures {
    private SavepointFixtures() {}

    /**
     * A fixture's input as each code's state holds it: the code's distinct events (the first copy of
     * each event_id) in event-time order, codes in order.
     */
    public static Map<String, List<ScanEvent>> histories(Path scansGz) throws Exception {
        Map<String, Map<String, ScanEvent>> byCode = new TreeMap<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(scansGz)), StandardCharsets.UTF_8))) {
            String line;
            long position = 0;
            while ((line = lines.readLine()) != null) {
                Ingested record = Decoding.json(line, ++position);
                if (record.getEvent() != null) {
                    byCode.computeIfAbsent(record.getEvent().getCode(), c -> new LinkedHashMap<>())
                            .putIfAbsent(record.getEvent().getEventId(), record.getEvent());
                }
            }
        }
        Map<String, List<ScanEvent>> histories = new TreeMap<>();
        byCode.forEach((code, events) -> {
            List<ScanEvent> history = new ArrayList<>(events.values());
            history.sort(Events.EVENT_TIME_ORDER);
            histories.put(code, history);
        });
        return histories;
    }

    /** The alerts a fixture's job wrote before its savepoint, in the order written. */
    public static List<Alert> alerts(Path alertsGz) throws Exception {
        List<Alert> alerts = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(alertsGz)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                alerts.add(AlertJson.decode(line));
            }
        }
        return alerts;
    }

    /** Each code's state in a savepoint as this release reads it: the code, then its state's Avro text. */
    public static Map<String, String> states(Path savepoint) throws Exception {
        return states(savepoint, CodeState::toString);
    }

    /** Each code's state in a savepoint as this release reads it, as {@code describe} tells it. */
    public static Map<String, String> states(Path savepoint, SerializableFunction<CodeState, String> describe) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Map<String, String> states = new TreeMap<>();
        try (CloseableIterator<String> lines = SavepointReader.read(env, savepoint.toUri().toString(), new EmbeddedRocksDBStateBackend())
                .readKeyedState(OperatorIdentifier.forUid(SavepointNames.DETECTOR_UID), new StateText(describe))
                .executeAndCollect()) {
            lines.forEachRemaining(line -> states.put(line.substring(0, line.indexOf('\t')), line.substring(line.indexOf('\t') + 1)));
        }
        return states;
    }

    /** Writes {@link #states} as the fixture's {@code states.tsv.gz}. */
    public static void writeStates(Map<String, String> states, Path statesGz) throws Exception {
        try (Writer out = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(statesGz)), StandardCharsets.UTF_8)) {
            for (Map.Entry<String, String> state : states.entrySet()) {
                out.write(state.getKey() + "\t" + state.getValue() + "\n");
            }
        }
    }

    /** The states a fixture's release read back from it ({@link #writeStates}). */
    public static Map<String, String> recordedStates(Path statesGz) throws Exception {
        Map<String, String> states = new TreeMap<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(statesGz)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                states.put(line.substring(0, line.indexOf('\t')), line.substring(line.indexOf('\t') + 1));
            }
        }
        return states;
    }

    private static final class StateText extends KeyedStateReaderFunction<String, String> {
        private final SerializableFunction<CodeState, String> describe;
        private transient ValueState<CodeState> state;

        StateText(SerializableFunction<CodeState, String> describe) {
            this.describe = describe;
        }

        @Override
        public void open(OpenContext context) {
            state = getRuntimeContext().getState(CodeDetector.stateDescriptor());
        }

        @Override
        public void readKey(String code, Context context, Collector<String> out) throws Exception {
            out.collect(code + "\t" + describe.apply(state.value()));
        }
    }
}
