package io.tracewatch.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.generate.Label;
import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a read_committed consumer must see after any fault: the ground truth's standing alerts, no
 * alert record written twice, and every dead letter exactly once.
 */
public final class ExactOutput {
    private ExactOutput() {}

    /** The generator's ground truth as standing alerts: code, rule and trigger event. */
    public static Set<String> expected(List<Label> labels) {
        return labels.stream().map(l -> l.code() + " " + l.rule() + " " + l.triggerEventId())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    public static Set<String> standing(List<Alert> alerts) {
        return lastRecords(alerts).values().stream().filter(a -> a.getStatus() == AlertStatus.RAISED)
                .map(a -> a.getCode() + " " + a.getRule() + " " + a.getTriggerEventId())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The last record of each alert_id. */
    public static Map<String, Alert> lastRecords(List<Alert> alerts) {
        Map<String, Alert> last = new TreeMap<>();
        alerts.forEach(a -> last.put(a.getAlertId(), a));
        return last;
    }

    /**
     * Reads the alerts topic until its standing alerts are {@code expected}, and checks that each
     * record is written once ({@link #assertEachRecordOnce}). Returns the records read.
     */
    public static List<Alert> awaitAlerts(KafkaTopics topics, String alertsTopic, Set<String> expected, Duration timeout) {
        List<Alert> alerts = new ArrayList<>();
        topics.readUntil(alertsTopic, records -> {
            alerts.clear();
            records.forEach(r -> alerts.add(AlertJson.decode(new String(r.value(), StandardCharsets.UTF_8))));
            return standing(alerts).equals(expected);
        }, timeout);
        assertThat(standing(alerts)).isEqualTo(expected);
        assertEachRecordOnce(alerts);
        return alerts;
    }

    /**
     * Per alert_id no record is written twice: a RETRACTED follows a RAISED, and a RAISED that
     * follows a RAISED says something else (the alert sent again as a late event changed it).
     */
    public static void assertEachRecordOnce(List<Alert> alerts) {
        Map<String, String> previous = new HashMap<>();
        for (Alert alert : alerts) {
            String content = AlertJson.encode(alert).replaceAll("\"detected_at\":\"[^\"]*\",?", "");
            String before = previous.put(alert.getAlertId(), content);
            if (alert.getStatus() == AlertStatus.RETRACTED) {
                assertThat(before).as("a retraction of %s follows its raising", alert.getAlertId()).isNotNull().contains("\"status\":\"RAISED\"");
            } else {
                assertThat(content).as("record of %s written twice", alert.getAlertId()).isNotEqualTo(before);
            }
        }
    }

    /** Checks that the dead-letter topic holds {@code expected} records, each a different one. */
    public static void assertDeadLettersOnce(KafkaTopics topics, String topic, long expected) {
        List<ConsumerRecord<byte[], byte[]>> letters = topics.readUntil(topic, r -> r.size() >= expected, Duration.ofSeconds(60));
        Set<String> distinct = new HashSet<>();
        letters.forEach(r -> distinct.add(new String(r.value(), StandardCharsets.UTF_8).replaceAll("\"detected_at\":\"[^\"]*\",", "")));
        assertThat(letters).hasSize((int) expected);
        assertThat(distinct).hasSize((int) expected);
    }
}
