package io.tracewatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run set against a stored one ({@code bench --check BASELINE.json}), figure by figure, by ratios
 * measured within each run, since absolute speeds differ between machines and runs: a throughput
 * against the first run of its group (its baseline), the ratios a result names, alert latency
 * against its budget (ordering delay plus checkpoint interval) and alerts that never came, state
 * bytes per code.
 */
public final class BenchCheck {
    /** A figure worse than the stored one by more than this share is a regression. */
    public static final double TOLERANCE = 0.15;

    private BenchCheck() {}

    /** One figure in both runs; {@code higherIsBetter} says which way is a regression. */
    public record Comparison(String figure, double stored, double now, boolean higherIsBetter) {
        public boolean regressed() {
            return higherIsBetter ? now < stored * (1 - TOLERANCE) : now > stored * (1 + TOLERANCE);
        }

        public String line() {
            return String.format(Locale.ROOT, "%-96s %10.3f %10.3f %+7.1f%%  %s", figure, stored, now,
                    stored == 0 ? 0 : (now / stored - 1) * 100, regressed() ? "REGRESSION" : "ok");
        }
    }

    /** The figures both runs have. */
    public static List<Comparison> compare(JsonNode stored, JsonNode now) {
        Map<String, Double> before = figures(stored);
        Map<String, Double> after = figures(now);
        List<Comparison> comparisons = new ArrayList<>();
        before.forEach((figure, value) -> {
            Double current = after.get(figure);
            if (current != null) {
                comparisons.add(new Comparison(figure, value, current, !figure.endsWith(LOWER_IS_BETTER)));
            }
        });
        return comparisons;
    }

    private static final String LOWER_IS_BETTER = "(lower is better)";

    /** The comparable figures of one run's JSON, by name. */
    static Map<String, Double> figures(JsonNode run) {
        Map<String, Double> figures = new LinkedHashMap<>();
        Map<String, Double> groupBaseline = new LinkedHashMap<>();
        for (JsonNode row : run.path("results")) {
            String group = row.path("group").asText();
            String name = group + " / " + row.path("name").asText();
            double speed = row.path("events_per_second").asDouble();
            if (group.contains("→") && speed > 0) {
                Double base = groupBaseline.putIfAbsent(group, speed);
                if (base != null) {
                    figures.put(name + ": events/s against the group's first run", speed / base);
                }
            }
            row.fieldNames().forEachRemaining(field -> {
                if (field.startsWith("ratio")) {
                    figures.put(name + ": " + field, row.path(field).asDouble());
                }
            });
            double budget = row.path("ordering_delay_ms").asDouble() + row.path("checkpoint_interval_ms").asDouble();
            if (row.has("p99_ms") && budget > 0) {
                figures.put(name + ": p99 against the latency budget " + LOWER_IS_BETTER, row.path("p99_ms").asDouble() / budget);
            }
            if (row.has("unanswered")) {
                // none is the only good figure: one more than the stored run's none is a regression
                figures.put(name + ": timed scans whose alert never came " + LOWER_IS_BETTER, row.path("unanswered").asDouble());
            }
            if (row.has("incremental_bytes_per_code")) {
                figures.put(name + ": checkpoint bytes per code " + LOWER_IS_BETTER, row.path("incremental_bytes_per_code").asDouble());
            }
        }
        return figures;
    }
}
