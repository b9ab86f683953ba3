package io.tracewatch.reference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewatch.alert.FinalAlerts;
import io.tracewatch.generate.Label;
import io.tracewatch.generate.Register;
import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.io.file.FileOutputs;
import io.tracewatch.io.file.FileReferenceSource;
import io.tracewatch.io.file.FileScanSource;
import io.tracewatch.io.ports.Inputs;
import io.tracewatch.job.DetectionTopology;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.Alert;
import io.tracewatch.model.EventType;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.testing.FlinkCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Held-out check of reference-data.md on generated traffic with a generated register and a
 * settings version: the final alerts are the ground truth of the three scan rules (those of a rule
 * the settings disable left out), plus UNLICENSED_CHANNEL as worked out here from the contract's
 * sentences; every alert carries the trusted region and the rule_version of the settings that
 * applied. Batch as written, and streaming with the scans shuffled.
 */
class ReferenceDataPipelineTest {
    @RegisterExtension
    static final FlinkCluster FLINK = new FlinkCluster(2);

    private static final TracewatchConfig CONFIG = TracewatchConfig.defaults();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneOffset CST = ZoneOffset.ofHours(8);
    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant ROUTE_OFF = Instant.parse("2026-03-04T00:00:00Z");

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = RuntimeExecutionMode.class, names = {"BATCH", "STREAMING"})
    void finalAlertsFollowTheRegisterAndTheSettings(RuntimeExecutionMode mode, @TempDir Path work) throws Exception {
        List<Label> labels = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        Map<String, Map<String, ScanEvent>> byCode = new TreeMap<>();
        new ScanGenerator(ScanGenerator.Settings.defaults(23, 400).withAnomalyRate(0.3), labels::add).forEachRemaining(scan -> {
            lines.add(scan.json());
            if (scan.event() != null) {
                byCode.computeIfAbsent(scan.event().getCode(), c -> new HashMap<>()).putIfAbsent(scan.event().getEventId(), scan.event());
            }
        });
        if (mode == RuntimeExecutionMode.STREAMING) {
            Collections.shuffle(lines, new Random(23));
        }
        List<String> register = Register.of(23, START);
        String settings = "{\"settings_id\":\"no-route\",\"version_time\":\"" + ROUTE_OFF + "\",\"actor\":\"regulator\","
                + "\"rules_enabled\":[\"DUPLICATE_SALE\",\"POST_DISPENSE_RESALE\",\"UNLICENSED_CHANNEL\",\"DESTROYED_PACK\",\"EXPIRED_PACK\",\"RECALLED_PACK\"],\"severity\":{\"DUPLICATE_SALE\":\"CRITICAL\"}}";
        Path scans = Files.write(work.resolve("scans.jsonl"), lines);
        Path parties = Files.write(work.resolve("parties.jsonl"), register);
        Path settingsFile = Files.write(work.resolve("settings.jsonl"), List.of(settings));
        Path alertsFile = work.resolve("alerts.jsonl");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(mode);
        env.setParallelism(2);
        DetectionTopology.build(env, CONFIG, Inputs.of(new FileScanSource(List.of(scans))).withReference(FileReferenceSource.read(parties, settingsFile)),
                new FileOutputs(alertsFile, work.resolve("dead.jsonl")));
        env.execute("reference data " + mode);

        Map<String, List<JsonNode>> versions = new HashMap<>();
        for (String record : register) {
            JsonNode node = JSON.readTree(record);
            versions.computeIfAbsent(node.get("party_id").asText(), p -> new ArrayList<>()).add(node);
        }
        Set<String> expected = new TreeSet<>();
        for (Label label : labels) {
            ScanEvent trigger = byCode.get(label.code()).get(label.triggerEventId());
            if (!(label.rule().equals("IMPOSSIBLE_ROUTE") && !trigger.getEventTime().isBefore(ROUTE_OFF))) {
                expected.add(label.code() + " " + label.rule() + " " + label.triggerEventId());
            }
        }
        int unlicensed = 0;
        for (Map<String, ScanEvent> events : byCode.values()) {
            for (ScanEvent event : events.values()) {
                if (unlicensedAt(event, versions)) {
                    expected.add(event.getCode() + " UNLICENSED_CHANNEL " + event.getEventId());
                    unlicensed++;
                }
            }
        }
        List<Alert> standing = FinalAlerts.read(alertsFile).standing();
        Set<String> actual = new TreeSet<>();
        for (Alert alert : standing) {
            actual.add(alert.getCode() + " " + alert.getRule() + " " + alert.getTriggerEventId());
            JsonNode version = applicable(versions.get(alert.getPartyId()), alert.getEventTime());
            assertThat(alert.getRegion()).as(alert.getPartyId() + " region")
                    .isEqualTo(version != null ? version.get("region").asText() : byCode.get(alert.getCode()).get(alert.getTriggerEventId()).getRegion());
            assertThat(alert.getRegionSource()).isEqualTo(version != null ? "register" : "upload");
            assertThat(alert.getRuleVersion().endsWith("@no-route")).as(alert.getRuleVersion()).isEqualTo(!alert.getEventTime().isBefore(ROUTE_OFF));
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(unlicensed).as("the register makes some").isPositive();
        System.out.printf("reference data (%s): %d alerts, %d UNLICENSED_CHANNEL, %d register versions%n", mode, actual.size(), unlicensed,
                register.size());
    }

    /** reference-data.md, the fourth rule, read here on its own. */
    private static boolean unlicensedAt(ScanEvent e, Map<String, List<JsonNode>> versions) {
        EventType type = e.getEventType();
        if (!Set.of(EventType.COMMISSION, EventType.SHIP, EventType.RECEIVE, EventType.SELL, EventType.DISPENSE).contains(type)) {
            return false;
        }
        if (!licensed(applicable(versions.get(e.getPartyId()), e.getEventTime()), e.getPartyType().name(), e.getEventTime())) {
            return true;
        }
        return (type == EventType.RECEIVE || type == EventType.SHIP) && e.getCounterpartyId() != null
                && !licensed(applicable(versions.get(e.getCounterpartyId()), e.getEventTime()), null, e.getEventTime());
    }

    private static boolean licensed(JsonNode version, String scanType, Instant at) {
        if (version == null) {
            return "INSURER".equals(scanType);
        }
        if (version.get("party_type").asText().equals("INSURER")) {
            return true;
        }
        LocalDate day = at.atOffset(CST).toLocalDate();
        return version.get("status").asText().equals("ACTIVE")
                && (!version.has("licence_valid_from") || !day.isBefore(LocalDate.parse(version.get("licence_valid_from").asText())))
                && (!version.has("licence_valid_to") || !day.isAfter(LocalDate.parse(version.get("licence_valid_to").asText())));
    }

    private static JsonNode applicable(List<JsonNode> versions, Instant at) {
        JsonNode found = null;
        Instant foundAt = null;
        for (JsonNode version : versions == null ? List.<JsonNode>of() : versions) {
            Instant from = OffsetDateTime.parse(version.get("version_time").asText()).toInstant();
            if (!from.isAfter(at) && (foundAt == null || !from.isBefore(foundAt))) {
                found = version;
                foundAt = from;
            }
        }
        return found;
    }
}
