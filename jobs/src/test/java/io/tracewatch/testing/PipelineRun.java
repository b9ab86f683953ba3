package io.tracewatch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewatch.alert.FinalAlerts;
import io.tracewatch.config.TracewatchConfig;
import io.tracewatch.detect.DetectionTopology;
import io.tracewatch.io.AlertJson;
import io.tracewatch.io.FileScanSource;
import io.tracewatch.io.FileOutputs;
import io.tracewatch.model.Alert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Runs the real topology over JSON Lines files on the test's Flink cluster and reads back what it wrote. */
public final class PipelineRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    public final List<Alert> alerts;
    public final List<JsonNode> deadLetters;

    private PipelineRun(List<Alert> alerts, List<JsonNode> deadLetters) {
        this.alerts = alerts;
        this.deadLetters = deadLetters;
    }

    public static PipelineRun of(
            TracewatchConfig config, RuntimeExecutionMode mode, int parallelism, Path workDir, Path... inputs)
            throws Exception {
        Path alertsFile = workDir.resolve("alerts.jsonl");
        Path deadLetterFile = workDir.resolve("dead-letters.jsonl");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(mode);
        env.setParallelism(parallelism);
        DetectionTopology.build(env, config, new FileScanSource(List.of(inputs)), new FileOutputs(alertsFile, deadLetterFile));
        env.execute("test " + mode);
        List<Alert> alerts = new ArrayList<>();
        for (String line : Files.readAllLines(alertsFile)) {
            alerts.add(AlertJson.decode(line));
        }
        List<JsonNode> deadLetters = new ArrayList<>();
        for (String line : Files.readAllLines(deadLetterFile)) {
            deadLetters.add(JSON.readTree(line));
        }
        return new PipelineRun(alerts, deadLetters);
    }

    /** The final alert set as "code rule trigger" strings. */
    public Set<String> finalAlerts() {
        Set<String> keys = new TreeSet<>();
        for (Alert alert : FinalAlerts.of(alerts).standing()) {
            keys.add(alert.getCode() + " " + alert.getRule() + " " + alert.getTriggerEventId());
        }
        return keys;
    }

    /** The final alert set by alert_id. */
    public Set<String> finalAlertIds() {
        Set<String> ids = new TreeSet<>();
        FinalAlerts.of(alerts).standing().forEach(a -> ids.add(a.getAlertId()));
        return ids;
    }

    public static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file);
    }
}
