package io.tracewatch.alert;

import io.tracewatch.io.AlertJson;
import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

    public static FinalAlerts read(Path jsonLines) throws IOException {
        FinalAlerts result = new FinalAlerts();
        try (BufferedReader reader = Files.newBufferedReader(jsonLines, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    result.add(AlertJson.decode(line));
                }
            }
        }
        return result;
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
