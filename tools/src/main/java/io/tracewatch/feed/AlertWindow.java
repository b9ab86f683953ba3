package io.tracewatch.feed;

import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The most recent alerts, one entry per alert_id holding its latest record: a retraction marks its
 * alert retracted in place, a later raise restores it. The oldest alerts leave when the window is
 * full. Listeners (the server-sent event streams) hear every record as it is applied.
 */
public final class AlertWindow {
    private final int capacity;
    private final LinkedHashMap<String, Alert> alerts = new LinkedHashMap<>();
    private final List<Consumer<Alert>> listeners = new CopyOnWriteArrayList<>();

    public AlertWindow(int capacity) {
        this.capacity = capacity;
    }

    /** A page of alerts, newest first, with how many matched in all. */
    public record Page(List<Alert> alerts, int total) {}

    public void apply(Alert record) {
        synchronized (this) {
            Alert previous = alerts.get(record.getAlertId());
            if (record.getStatus() == AlertStatus.RETRACTED && previous != null) {
                // the withdrawal keeps the raised alert's evidence, so the case stays readable
                Alert retracted = Alert.newBuilder(previous)
                        .setStatus(AlertStatus.RETRACTED)
                        .setExplanation(record.getExplanation())
                        .setDetectedAt(record.getDetectedAt())
                        .build();
                alerts.put(record.getAlertId(), retracted);
            } else {
                alerts.remove(record.getAlertId());
                alerts.put(record.getAlertId(), record);
            }
            while (alerts.size() > capacity) {
                Iterator<String> oldest = alerts.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
        }
        for (Consumer<Alert> listener : listeners) {
            listener.accept(record);
        }
    }

    public void listen(Consumer<Alert> listener) {
        listeners.add(listener);
    }

    public void unlisten(Consumer<Alert> listener) {
        listeners.remove(listener);
    }

    /** A page of the matching alerts, the latest trigger first (of equal times, the latest received). */
    public synchronized Page page(Predicate<Alert> filter, int offset, int limit) {
        List<Alert> newestFirst = new ArrayList<>(alerts.values());
        java.util.Collections.reverse(newestFirst);
        newestFirst.sort(java.util.Comparator.comparing(Alert::getEventTime).reversed());
        List<Alert> matching = newestFirst.stream().filter(filter).toList();
        int from = Math.min(offset, matching.size());
        return new Page(matching.subList(from, Math.min(matching.size(), from + limit)), matching.size());
    }

    /** The latest record of an alert still in the window. */
    public synchronized java.util.Optional<Alert> find(String alertId) {
        return java.util.Optional.ofNullable(alerts.get(alertId));
    }

    /** Every alert of one code in the window, in the order of their triggers' event times. */
    public synchronized List<Alert> ofCode(String code, Predicate<Alert> visible) {
        return alerts.values().stream()
                .filter(a -> a.getCode().equals(code) && visible.test(a))
                .sorted(java.util.Comparator.comparing(Alert::getEventTime).thenComparing(Alert::getRule))
                .toList();
    }

    /**
     * Counts of the visible alerts: standing ones per rule per hour of the trigger's event time and
     * per rule per region, and how many of the window's alerts the reader may see.
     */
    public synchronized Map<String, Object> stats(Predicate<Alert> visible) {
        int visibleCount = 0;
        Map<String, Map<String, Integer>> perHour = new TreeMap<>();
        Map<String, Map<String, Integer>> perRegion = new TreeMap<>();
        for (Alert alert : alerts.values()) {
            if (!visible.test(alert)) {
                continue;
            }
            visibleCount++;
            if (alert.getStatus() != AlertStatus.RAISED) {
                continue;
            }
            String hour = alert.getEventTime().truncatedTo(ChronoUnit.HOURS).toString();
            perHour.computeIfAbsent(hour, h -> new TreeMap<>()).merge(alert.getRule(), 1, Integer::sum);
            String region = alert.getRegion() == null ? "unknown" : alert.getRegion();
            perRegion.computeIfAbsent(region, r -> new TreeMap<>()).merge(alert.getRule(), 1, Integer::sum);
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("per_hour", perHour);
        stats.put("per_region", perRegion);
        stats.put("window_size", visibleCount);
        return stats;
    }

}
