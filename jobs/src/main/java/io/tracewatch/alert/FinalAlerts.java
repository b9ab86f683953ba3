package io.tracewatch.alert;

import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * The final set of alerts in a feed of alert records: for each alert_id the last record decides,
 * so it is the raised alerts minus the retracted ones (contract, "Anomalies").
 */
public final class FinalAlerts {
    private final Map<String, Alert> last = new LinkedHashMap<>();
    private long records;
    private long retractions;

    public void add(Alert alert) {
        records++;
        if (alert.getStatus() == AlertStatus.RETRACTED) {
            retractions++;
        }
        last.put(alert.getAlertId(), alert);
    }

    public static FinalAlerts of(Collection<Alert> alerts) {
        FinalAlerts result = new FinalAlerts();
        alerts.forEach(result::add);
        return result;
    }

    /**
     * Reads an alerts file, JSON Lines or Avro container. Evidence is dropped as it is read, so a
     * large replay's alerts fit in memory.
     */
    public static FinalAlerts read(Path file) throws IOException {
        FinalAlerts result = new FinalAlerts();
        if (isAvroContainer(file)) {
            try (DataFileReader<Alert> reader = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(Alert.class))) {
                for (Alert alert : reader) {
                    result.add(withoutEvidence(alert));
                }
            }
            return result;
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    try {
                        result.add(AlertJson.decode(line, false));
                    } catch (IllegalArgumentException e) {
                        throw new IOException(file + " line " + number + ": " + e.getMessage());
                    }
                }
            }
        }
        return result;
    }

    private static Alert withoutEvidence(Alert alert) {
        alert.setEvidence(List.of());
        return alert;
    }

    private static boolean isAvroContainer(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'O' && magic[1] == 'b' && magic[2] == 'j' && magic[3] == 1;
        }
    }

    /** Alerts standing at the end: raised and not retracted since. */
    public List<Alert> standing() {
        return last.values().stream().filter(a -> a.getStatus() == AlertStatus.RAISED).toList();
    }

    /** Standing alerts counted per rule, rules in name order. */
    public Map<String, Long> countByRule() {
        Map<String, Long> counts = new TreeMap<>();
        for (Alert alert : standing()) {
            counts.merge(alert.getRule(), 1L, Long::sum);
        }
        return counts;
    }

    public long records() {
        return records;
    }

    public long retractions() {
        return retractions;
    }
}
