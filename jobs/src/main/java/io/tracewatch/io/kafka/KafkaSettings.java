package io.tracewatch.io.kafka;

import io.tracewatch.settings.Checks;
import io.tracewatch.settings.ConfigException;
import java.io.Serializable;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Topics, formats and delivery settings of the streaming job; secrets never live here. */
public record KafkaSettings(
        String bootstrapServers,
        String scansTopic,
        String alertsTopic,
        String deadLetterTopic,
        String casesTopic,
        String caseActionsTopic,
        String leadsTopic,
        String verifyRequestsTopic,
        String verificationsTopic,
        String partiesTopic,
        String settingsTopic,
        String recallsTopic,
        String groupId,
        String startFrom,
        RecordFormat scanFormat,
        RecordFormat alertFormat,
        String transactionalIdPrefix,
        long transactionTimeoutMs,
        long idlePartitionTimeoutMs,
        String clientPropertiesFile,
        TopicPartitions partitions)
        implements Serializable {

    /**
     * Partitions of the topics when tracewatch creates them (the {@code broker} command, the demo);
     * the other topics have one. Scans bound the source's parallelism; alerts and cases are keyed.
     */
    public record TopicPartitions(int scans, int alerts, int cases) implements Serializable {
        public void validate() {
            Checks.positive(scans, "kafka.partitions.scans");
            Checks.positive(alerts, "kafka.partitions.alerts");
            Checks.positive(cases, "kafka.partitions.cases");
        }
    }

    /** Where a job without checkpoint starts reading the scans topic. */
    public sealed interface StartPosition permits Committed, Earliest, Latest, AtTimestamp {}

    public record Committed() implements StartPosition {}

    public record Earliest() implements StartPosition {}

    public record Latest() implements StartPosition {}

    public record AtTimestamp(long epochMillis) implements StartPosition {}

    /** The same settings reading scans from {@code scans} and writing alerts to {@code alerts}. */
    public KafkaSettings withTopics(String scans, String alerts) {
        return new KafkaSettings(bootstrapServers, scans, alerts, deadLetterTopic, casesTopic, caseActionsTopic, leadsTopic,
                verifyRequestsTopic, verificationsTopic, partiesTopic, settingsTopic, recallsTopic, groupId, startFrom, scanFormat, alertFormat,
                transactionalIdPrefix, transactionTimeoutMs, idlePartitionTimeoutMs, clientPropertiesFile, partitions);
    }

    /** The same settings for a run of its own: another consumer group, other transactional ids, another start. */
    public KafkaSettings asRun(String group, String start, String idPrefix) {
        return new KafkaSettings(bootstrapServers, scansTopic, alertsTopic, deadLetterTopic, casesTopic, caseActionsTopic, leadsTopic,
                verifyRequestsTopic, verificationsTopic, partiesTopic, settingsTopic, recallsTopic, group, start, scanFormat, alertFormat,
                idPrefix, transactionTimeoutMs, idlePartitionTimeoutMs, clientPropertiesFile, partitions);
    }

    public StartPosition startPosition() {
        String text = startFrom.trim();
        switch (text) {
            case "committed":
                return new Committed();
            case "earliest":
                return new Earliest();
            case "latest":
                return new Latest();
            default:
                break;
        }
        if (text.startsWith("timestamp:")) {
            String value = text.substring("timestamp:".length()).trim();
            try {
                return new AtTimestamp(value.matches("[0-9]+") ? Long.parseLong(value) : Instant.parse(value).toEpochMilli());
            } catch (DateTimeParseException | NumberFormatException e) {
                throw new ConfigException("kafka.start_from: '" + value + "' is neither an ISO-8601 instant nor epoch millis");
            }
        }
        throw new ConfigException("kafka.start_from must be committed, earliest, latest or timestamp:<instant>, got '" + text + "'");
    }

    public void validate() {
        Checks.notBlank(bootstrapServers, "kafka.bootstrap_servers");
        Checks.notBlank(scansTopic, "kafka.scans_topic");
        Checks.notBlank(alertsTopic, "kafka.alerts_topic");
        Checks.notBlank(deadLetterTopic, "kafka.dead_letter_topic");
        Checks.notBlank(casesTopic, "kafka.cases_topic");
        Checks.notBlank(caseActionsTopic, "kafka.case_actions_topic");
        Checks.notBlank(leadsTopic, "kafka.leads_topic");
        Checks.notBlank(verifyRequestsTopic, "kafka.verify_requests_topic");
        Checks.notBlank(verificationsTopic, "kafka.verifications_topic");
        Checks.notBlank(partiesTopic, "kafka.parties_topic");
        Checks.notBlank(settingsTopic, "kafka.settings_topic");
        Checks.notBlank(recallsTopic, "kafka.recalls_topic");
        Checks.notBlank(groupId, "kafka.group_id");
        Checks.notBlank(transactionalIdPrefix, "kafka.transactional_id_prefix");
        Checks.present(scanFormat, "kafka.scan_format");
        Checks.present(alertFormat, "kafka.alert_format");
        Checks.positive(transactionTimeoutMs, "kafka.transaction_timeout_ms");
        Checks.positive(idlePartitionTimeoutMs, "kafka.idle_partition_timeout_ms");
        Checks.present(startFrom, "kafka.start_from");
        startPosition();
        Checks.present(partitions, "kafka.partitions");
        partitions.validate();
    }
}
