package io.tracewatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.testing.JobTopics;
import io.tracewatch.testing.KafkaTopics;
import io.tracewatch.testing.LiveJobCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Patients are pseudonymous end to end: a patient_ref planted in good and broken uploads reaches
 * no output topic of the live job (alerts, dead letters, cases, leads, verifications) and no byte of
 * its checkpoints, while the records it came with do.
 */
class PatientPrivacyTest {
    private static final String PLANTED = "PT-PLANTED-4c1e9a77";
    private static final String CODE = "86452082603204175804";

    @RegisterExtension
    static final LiveJobCluster CLUSTER = new LiveJobCluster(4);

    @TempDir
    static Path dir;

    @Test
    void aPlantedPatientRefReachesNoOutputAndNoCheckpoint() throws Exception {
        Path key = Files.writeString(dir.resolve("patient-ref.key"), "a site secret of at least thirty-two bytes");
        List<String> settings = JobTopics.settings(CLUSTER.kafka(), "privacy", 1, dir);
        // hashmap state: checkpoint files hold the serialized state uncompressed, so a byte scan is conclusive
        settings.addAll(List.of("job.checkpoint_interval_ms=500", "job.state_backend=hashmap", "ingest.patient_ref_key_file=" + key));
        TracewatchConfig config = TracewatchConfig.load(null, settings);
        KafkaTopics topics = new KafkaTopics(CLUSTER.kafka().bootstrapServers());

        List<String> uploads = new ArrayList<>();
        try (InputStream in = PatientPrivacyTest.class.getResourceAsStream("/contract-examples/20-resale-inbound-after-settlement.scans.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                uploads.add(line.replace("pt-9b2d7140", PLANTED)
                        .replace("\"transaction_id\":\"POS-0042-260303-0058\"}", "\"transaction_id\":\"POS-0042-260303-0058\",\"patient_ref\":\"" + PLANTED + "\"}"));
            }
        }
        // broken records that carry it: cut short, a wrong type beside it, and far too long
        uploads.add("{\"event_id\":\"bad-1\",\"code\":\"" + CODE + "\",\"patient_ref\":\"" + PLANTED + "\",\"event_type\":\"SE");
        uploads.add("{\"event_id\":\"bad-2\",\"code\":\"" + CODE + "\",\"event_type\":\"SELL\",\"event_time\":17,\"party_id\":\"PH-1\","
                + "\"party_type\":\"PHARMACY\",\"patient_ref\":\"" + PLANTED + "\"}");
        uploads.add("{\"patient_ref\":\"" + PLANTED + "\",\"note\":\"" + "x".repeat(70_000) + "\"}");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.streaming(config.job()));
        StreamingJob.build(env, config);
        JobClient job = env.executeAsync(StreamingJob.NAME);
        try (KafkaProducer<byte[], byte[]> producer = CLUSTER.topics().producer()) {
            for (String upload : uploads) {
                CLUSTER.topics().send(producer, config.kafka().scansTopic(), null, CODE, upload.getBytes(StandardCharsets.UTF_8));
            }
            producer.flush();
            Thread.sleep(1500);
            CLUSTER.topics().send(producer, config.kafka().verifyRequestsTopic(), null, CODE,
                    ("{\"request_id\":\"q-1\",\"code\":\"" + CODE + "\",\"requested_by\":\"insurance-tj\"}").getBytes(StandardCharsets.UTF_8));
        }

        Map<String, List<ConsumerRecord<byte[], byte[]>>> outputs = new LinkedHashMap<>();
        outputs.put("alerts", CLUSTER.topics().readUntil(config.kafka().alertsTopic(), r -> r.size() >= 3, Duration.ofSeconds(60)));
        outputs.put("dead letters", CLUSTER.topics().readUntil(config.kafka().deadLetterTopic(), r -> r.size() >= 3, Duration.ofSeconds(30)));
        outputs.put("leads", CLUSTER.topics().readUntil(config.kafka().leadsTopic(), r -> !r.isEmpty(), Duration.ofSeconds(30)));
        outputs.put("verifications", CLUSTER.topics().readUntil(config.kafka().verificationsTopic(), r -> !r.isEmpty(), Duration.ofSeconds(30)));
        outputs.put("cases", CLUSTER.topics().readUntil(config.kafka().casesTopic(), r -> !r.isEmpty(), Duration.ofSeconds(30)));
        Thread.sleep(1500); // a checkpoint after every record reached the detector's state
        job.cancel().get();

        outputs.forEach((name, records) -> assertThat(records).as(name).isNotEmpty());
        assertThat(outputs.get("dead letters")).hasSize(3);
        outputs.forEach((name, records) -> records.forEach(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                .as("a record on the %s topic", name).doesNotContain(PLANTED).doesNotContain("4c1e9a77")));

        Path checkpointDir = dir.resolve("privacy-checkpoints");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(checkpointDir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("checkpoint files").isNotEmpty();
        byte[] planted = PLANTED.getBytes(StandardCharsets.UTF_8);
        byte[] eventId = "ex20-e3".getBytes(StandardCharsets.UTF_8);
        boolean eventSeen = false;
        for (Path file : files) {
            byte[] content = read(file);
            assertThat(indexOf(content, planted)).as("planted patient_ref in %s", file).isEqualTo(-1);
            eventSeen |= indexOf(content, eventId) >= 0;
        }
        // the scan that carried it is in the state: the scan above looked where it would be
        assertThat(eventSeen).as("event ex20-e3 in some checkpoint file").isTrue();
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
