package io.tracewatch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewatch.alert.FinalAlerts;
import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.io.file.FileOutputs;
import io.tracewatch.io.file.FileScanSource;
import io.tracewatch.io.ports.Inputs;
import io.tracewatch.job.ReplayJob;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.CaseStatus;
import io.tracewatch.model.Lead;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;

/** Runs the real topology over JSON Lines files on the test's Flink cluster and reads back what it wrote. */
public final class PipelineRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    public final List<Alert> alerts;
    public final List<JsonNode> deadLetters;
    public final List<CaseRecord> cases;
    public final List<Lead> leads;

    private PipelineRun(List<Alert> alerts, List<JsonNode> deadLetters, List<CaseRecord> cases, List<Lead> leads) {
        this.alerts = alerts;
        this.deadLetters = deadLetters;
        this.cases = cases;
        this.leads = leads;
    }

    public static PipelineRun of(
            TracewatchConfig config, RuntimeExecutionMode mode, int parallelism, Path workDir, Path... inputs)
            throws Exception {
        Path alertsFile = workDir.resolve("alerts.jsonl");
        Path deadLetterFile = workDir.resolve("dead-letters.jsonl");
        Path casesFile = workDir.resolve("cases.jsonl");
        Path leadsFile = workDir.resolve("leads.jsonl");
        ReplayJob.run(new Configuration(), config, mode, parallelism, Inputs.of(new FileScanSource(List.of(inputs))),
                new FileOutputs(alertsFile, deadLetterFile).withCases(casesFile).withLeads(leadsFile));
        List<Alert> alerts = new ArrayList<>();
        for (String line : Files.readAllLines(alertsFile)) {
            alerts.add(AlertJson.decode(line));
        }
        List<JsonNode> deadLetters = new ArrayList<>();
        for (String line : Files.readAllLines(deadLetterFile)) {
            deadLetters.add(JSON.readTree(line));
        }
        List<CaseRecord> cases = new ArrayList<>();
        for (String line : Files.readAllLines(casesFile)) {
            cases.add(RecordJson.decode(line, CaseRecord.class));
        }
        List<Lead> leads = new ArrayList<>();
        for (String line : Files.readAllLines(leadsFile)) {
            leads.add(RecordJson.decode(line, Lead.class));
        }
        return new PipelineRun(alerts, deadLetters, cases, leads);
    }

    /** The final case set: the last record of each case_id, WITHDRAWN ones left out (contract cases.md). */
    public Map<String, CaseRecord> finalCases() {
        return finalCases(cases);
    }

    /** The final case set of these records. */
    public static Map<String, CaseRecord> finalCases(List<CaseRecord> cases) {
        Map<String, CaseRecord> last = new TreeMap<>();
        cases.forEach(c -> last.merge(c.getCaseId(), c, (a, b) -> b.getVersion() >= a.getVersion() ? b : a));
        last.values().removeIf(c -> c.getStatus() == CaseStatus.WITHDRAWN);
        return last;
    }

    /** Each final case as "case_id: code rule trigger, ..." with its alerts in order. */
    public Set<String> finalCaseMembership() {
        return caseMembership(cases);
    }

    /** Each final case of these records as "case_id: code rule trigger, ...". */
    public static Set<String> caseMembership(List<CaseRecord> records) {
        Set<String> cases = new TreeSet<>();
        finalCases(records).forEach((id, c) -> cases.add(id + ": " + c.getAlerts().stream()
                .map(a -> a.getCode() + " " + a.getRule() + " " + a.getTriggerEventId()).sorted().toList()));
        return cases;
    }

    /** The final lead set: the last record of each lead_id that is RAISED. */
    public Map<String, Lead> finalLeads() {
        return finalLeads(leads);
    }

    /** The final lead set of these records. */
    public static Map<String, Lead> finalLeads(List<Lead> leads) {
        Map<String, Lead> last = new TreeMap<>();
        leads.forEach(l -> last.put(l.getLeadId(), l));
        last.values().removeIf(l -> l.getStatus() != AlertStatus.RAISED);
        return last;
    }

    /** The final alert set as "code rule trigger" strings. */
    public Set<String> finalAlerts() {
        Set<String> keys = new TreeSet<>();
        for (Alert alert : FinalAlerts.of(alerts).standing()) {
            keys.add(alert.getCode() + " " + alert.getRule() + " " + alert.getTriggerEventId());
        }
        return keys;
    }

    /** The cause of every final DUPLICATE_SALE alert, as "code trigger" to cause (lifecycle.md). */
    public Map<String, String> finalCauses() {
        Map<String, String> causes = new TreeMap<>();
        for (Alert alert : FinalAlerts.of(alerts).standing()) {
            if (alert.getRule().equals("DUPLICATE_SALE")) {
                causes.put(alert.getCode() + " " + alert.getTriggerEventId(), alert.getCause());
            }
        }
        return causes;
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
