package io.tracewatch.savepoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The names savepoints find state by, pinned: every savepoint written so far holds these, so a
 * change here is a change that loses state, never a refactoring. Adding a name adds it here.
 */
class SavepointNamesTest {
    private static final Map<String, String> PINNED = new TreeMap<>(Map.ofEntries(
            Map.entry("SCAN_FILES_UID", "scan-files"),
            Map.entry("SCAN_KAFKA_UID", "scan-kafka"),
            Map.entry("CASE_ACTIONS_KAFKA_UID", "case-actions-kafka"),
            Map.entry("VERIFY_REQUESTS_KAFKA_UID", "verify-requests-kafka"),
            Map.entry("REFERENCE_KAFKA_UID", "reference-kafka"),
            Map.entry("ROUTE_UID", "route-dead-letters"),
            Map.entry("DETECTOR_UID", "code-detector"),
            Map.entry("CASES_UID", "case-stage"),
            Map.entry("ACTIONS_ROUTE_UID", "route-action-dead-letters"),
            Map.entry("REFERENCE_ROUTE_UID", "route-reference-dead-letters"),
            Map.entry("REQUESTS_UID", "verify-requests-without-event-time"),
            Map.entry("REQUESTS_ROUTE_UID", "route-request-dead-letters"),
            Map.entry("DETECTOR_ALONE_REFERENCE_UID", "detector-alone-reference"),
            Map.entry("NONE_SUFFIX", "-none"),
            Map.entry("WITHOUT_EVENT_TIME_SUFFIX", "-without-event-time"),
            Map.entry("ALERTS_KAFKA_UID", "alerts-kafka"),
            Map.entry("DEAD_LETTERS_KAFKA_UID", "dead-letters-kafka"),
            Map.entry("CASES_KAFKA_UID", "cases-kafka"),
            Map.entry("LEADS_KAFKA_UID", "leads-kafka"),
            Map.entry("VERIFICATIONS_KAFKA_UID", "verifications-kafka"),
            Map.entry("FILE_SINK_SUFFIX", "-file"),
            Map.entry("ALERTS_DISCARD_UID", "alerts-discard"),
            Map.entry("CASES_DISCARD_UID", "cases-discard"),
            Map.entry("VERIFICATIONS_DISCARD_UID", "verifications-discard"),
            Map.entry("LEADS_DISCARD_UID", "leads-discard"),
            Map.entry("CODE_STATE", "code-state"),
            Map.entry("BUFFERED_SCANS", "buffered-scans"),
            Map.entry("WAITING_CODES", "waiting-codes"),
            Map.entry("TUPLE_BUFFERED_SCANS", "arrival-buffer"),
            Map.entry("TUPLE_WAITING_CODES", "codes-waiting"),
            Map.entry("JUDGE_TIMERS", "user-timers"),
            Map.entry("RETENTION_TIMERS", "retention-timers"),
            Map.entry("REFERENCE_VERSIONS", "reference-versions"),
            Map.entry("REFERENCE_READY", "reference-ready"),
            Map.entry("RECALL_VERSIONS", "recall-versions"),
            Map.entry("CASES", "cases"),
            Map.entry("CASE_MEMBERS", "case-members"),
            Map.entry("CASE_EMIT_TIMER", "emit-timer"),
            Map.entry("DEAD_LETTERS_TAG", "dead-letters"),
            Map.entry("LEADS_TAG", "leads"),
            Map.entry("VERIFICATIONS_TAG", "verifications")));

    @Test
    void everyNameKeepsItsValue() throws IllegalAccessException {
        Map<String, String> names = new TreeMap<>();
        for (Field field : SavepointNames.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                names.put(field.getName(), (String) field.get(null));
            }
        }
        assertThat(names).isEqualTo(PINNED);
    }
}
