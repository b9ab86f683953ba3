package io.tracewatch.alert;

import io.tracewatch.model.Alert;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What a rule or threshold change does to the final alerts: which it adds and which it removes, per rule. */
public final class AlertDiff {
    private final List<Alert> added;
    private final List<Alert> removed;

    private AlertDiff(List<Alert> added, List<Alert> removed) {
        this.added = added;
        this.removed = removed;
    }

    public static AlertDiff between(FinalAlerts before, FinalAlerts after) {
        Map<String, Alert> old = byId(before);
        Map<String, Alert> now = byId(after);
        return new AlertDiff(missingFrom(old, now), missingFrom(now, old));
    }

    private static Map<String, Alert> byId(FinalAlerts alerts) {
        return alerts.standing().stream().collect(Collectors.toMap(Alert::getAlertId, Function.identity()));
    }

    /** The alerts of {@code in} that {@code from} does not have. */
    private static List<Alert> missingFrom(Map<String, Alert> from, Map<String, Alert> in) {
        Set<String> absent = in.keySet().stream().filter(id -> !from.containsKey(id)).collect(Collectors.toSet());
        return in.values().stream()
                .filter(a -> absent.contains(a.getAlertId()))
                .sorted(Comparator.comparing(Alert::getRule).thenComparing(Alert::getCode).thenComparing(Alert::getTriggerEventId))
                .toList();
    }

    public List<Alert> added() {
        return added;
    }

    public List<Alert> removed() {
        return removed;
    }

    /** One line per added (+) or removed (-) alert, grouped by rule, then the counts. */
    public void print(PrintStream out) {
        Map<String, int[]> counts = new TreeMap<>();
        for (Alert alert : added) {
            counts.computeIfAbsent(alert.getRule(), r -> new int[2])[0]++;
        }
        for (Alert alert : removed) {
            counts.computeIfAbsent(alert.getRule(), r -> new int[2])[1]++;
        }
        for (String rule : counts.keySet()) {
            added.stream().filter(a -> a.getRule().equals(rule)).forEach(a -> out.println(line('+', a)));
            removed.stream().filter(a -> a.getRule().equals(rule)).forEach(a -> out.println(line('-', a)));
        }
        out.println("diff against the old alerts: " + (counts.isEmpty() ? "no change" : counts.entrySet().stream()
                .map(e -> e.getKey() + " +" + e.getValue()[0] + " -" + e.getValue()[1])
                .collect(Collectors.joining(", "))));
    }

    private static String line(char sign, Alert alert) {
        return sign + " " + alert.getRule() + " " + alert.getCode() + " " + alert.getTriggerEventId() + " " + alert.getPartyId()
                + ": " + alert.getExplanation();
    }
}
