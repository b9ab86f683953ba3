package io.tracewatch.detect;

import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.model.Alert;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.rules.Events;
import io.tracewatch.testing.Decoding;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * What a savepoint fixture under {@code src/test/resources/savepoints/} (or
 * {@code savepoints-with-buffer/}) holds beside its {@code _metadata}: the input its job read, and
 * the alerts it wrote before the savepoint. The tools module's {@code SavepointFixture} writes them.
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
}
