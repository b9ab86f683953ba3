package io.tracewatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewatch.generate.Label;
import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.io.codec.ScanEventAvro;
import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.testing.Decoding;
import io.tracewatch.testing.HostileRecords;
import io.tracewatch.testing.JobTopics;
import io.tracewatch.testing.LiveJobCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison pills on the live job: good scans, then hostile records of every kind (a 300 KB line of
 * control characters and a 900 KB line among them), then more good scans, through a real broker
 * into the streaming job. The job never restarts, every hostile record is one dead letter within
 * the limit, and the good scans' alerts are exact and on time.
 */
class PoisonPillTest {
    @RegisterExtension
    static final LiveJobCluster CLUSTER = new LiveJobCluster(4);

    @TempDir
    static Path checkpoints;

    @Test
    void hostileRecordsNeverStopTheJobAndEachBecomesOneSmallDeadLetter(@InjectMiniCluster MiniCluster cluster) throws Exception {
        List<String> settings = JobTopics.settings(CLUSTER.kafka(), "poison", 2, checkpoints);
        // a failure would fail the job instead of restarting it unseen
        settings.addAll(List.of("job.checkpoint_interval_ms=500", "job.restart_attempts=0"));
        TracewatchConfig config = TracewatchConfig.load(null, settings);

        List<Label> labels = new ArrayList<>();
        List<ScanGenerator.GeneratedScan> traffic = new ArrayList<>();
        ScanGenerator.Settings generated = new ScanGenerator.Settings(31, 80, 0.3, 0.0, 0.02, 0.0, java.time.Instant.parse("2026-03-01T00:00:00Z"), 20, false);
        new ScanGenerator(generated, labels::add).forEachRemaining(traffic::add);
        Set<String> expected = labels.stream().map(l -> l.code() + " " + l.rule() + " " + l.triggerEventId())
                .collect(Collectors.toCollection(TreeSet::new));
        List<byte[]> hostile = hostileRecords();
        Set<String> hostileDigests = hostile.stream().map(PoisonPillTest::sha256).collect(Collectors.toCollection(TreeSet::new));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.streaming(config.job()));
        StreamingJob.build(env, config);
        JobClient job = env.executeAsync(StreamingJob.NAME);
        long lastGoodScanSent;
        try (KafkaProducer<byte[], byte[]> producer = CLUSTER.topics().producer()) {
            int half = traffic.size() / 2;
            send(producer, config, traffic.subList(0, half));
            for (byte[] record : hostile) {
                CLUSTER.topics().send(producer, config.kafka().scansTopic(), null, null, record);
            }
            producer.flush();
            send(producer, config, traffic.subList(half, traffic.size()));
            producer.flush();
            lastGoodScanSent = System.nanoTime();
        }

        List<Alert> alerts = new ArrayList<>();
        CLUSTER.topics().readUntil(config.kafka().alertsTopic(), records -> {
            alerts.clear();
            records.forEach(r -> alerts.add(AlertJson.decode(new String(r.value(), StandardCharsets.UTF_8))));
            return standing(alerts).equals(expected);
        }, Duration.ofSeconds(90));
        double alertSeconds = (System.nanoTime() - lastGoodScanSent) / 1e9;
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> letters = new HashMap<>();
        int[] largest = {0};
        CLUSTER.topics().readUntil(config.kafka().deadLetterTopic(), records -> {
            records.forEach(r -> {
                JsonNode letter = readJson(json, r.value());
                letters.put(letter.path("raw_sha256").asText(), letter);
                largest[0] = Math.max(largest[0], r.value().length);
            });
            records.clear();
            return letters.keySet().containsAll(hostileDigests);
        }, Duration.ofSeconds(60));
        long restarts = restarts(cluster, job);
        String status = job.getJobStatus().get().name();
        job.cancel().get();
        System.out.printf("poison pills: %d hostile records, %d dead letters (largest %,d bytes), alerts final %.1f s after the last scan, "
                + "%d restarts%n", hostile.size(), letters.size(), largest[0], alertSeconds, restarts);

        assertThat(status).isEqualTo("RUNNING");
        assertThat(restarts).isZero();
        assertThat(standing(alerts)).isEqualTo(expected);
        assertThat(letters.keySet()).containsAll(hostileDigests);
        assertThat(largest[0]).isLessThan(64 * 1024);
        // ordering delay 5 s, judging wait 10 s, checkpoints every 0.5 s: on time is well inside a minute
        assertThat(alertSeconds).isLessThan(45);
    }

    /** Hostile records that the decoder refuses: the two from the report, and a few of every fuzz class. */
    private static List<byte[]> hostileRecords() {
        List<byte[]> records = new ArrayList<>();
        byte[] controls = new byte[300 * 1024];
        java.util.Arrays.fill(controls, (byte) 1);
        records.add(controls);
        byte[] large = ("{\"event_id\":\"big\",\"note\":\"" + "n".repeat(900 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        records.add(large);
        Random random = new Random(7);
        byte[] avro = ScanEventAvro.encode(Decoding.json(HostileRecords.VALID, 1).getEvent());
        for (HostileRecords.Kind kind : HostileRecords.Kind.values()) {
            int taken = 0;
            for (int attempt = 0; attempt < 200 && taken < 4; attempt++) {
                byte[] record = HostileRecords.generate(kind, random, avro);
                Ingested decoded = Decoding.DEFAULT.json(record, new io.tracewatch.io.codec.DeadLetters.Origin("t", 0, 0));
                if (decoded.getDeadLetter() != null && record.length < 1_000_000) {
                    records.add(record);
                    taken++;
                }
            }
        }
        return records;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, TracewatchConfig config, List<ScanGenerator.GeneratedScan> scans) {
        for (ScanGenerator.GeneratedScan scan : scans) {
            String key = scan.event() == null ? null : scan.event().getCode();
            CLUSTER.topics().send(producer, config.kafka().scansTopic(), null, key, scan.json().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Set<String> standing(List<Alert> alerts) {
        Map<String, Alert> last = new HashMap<>();
        alerts.forEach(a -> last.put(a.getAlertId(), a));
        return last.values().stream()
                .filter(a -> a.getStatus() == AlertStatus.RAISED)
                .map(a -> a.getCode() + " " + a.getRule() + " " + a.getTriggerEventId())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Flink's own count of the job's restarts, as its REST API reports it. */
    private static long restarts(MiniCluster cluster, JobClient job) throws Exception {
        URI rest = cluster.getRestAddress().get();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            HttpRequest request = HttpRequest.newBuilder(rest.resolve("/jobs/" + job.getJobID() + "/metrics?get=numRestarts")).build();
            JsonNode metrics = new ObjectMapper().readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
            if (metrics.isArray() && metrics.size() > 0) {
                return metrics.get(0).path("value").asLong();
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("numRestarts not reported");
    }

    private static JsonNode readJson(ObjectMapper json, byte[] value) {
        try {
            return json.readTree(value);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String sha256(byte[] record) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(record));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
