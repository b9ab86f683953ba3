package io.tracewatch.bench;

import io.tracewatch.embedded.EmbeddedKafka;
import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.io.kafka.KafkaClients;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.Alert;
import io.tracewatch.model.Lead;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
/**
 * Alert latency from the trigger scan's send to the alert visible to a read_committed consumer,
 * with live traffic (event time = now): each pack sold by one pharmacy, then by another. With
 * leads, the time from a reseller's inbound scan of a settled pack to its insurance lead on the
 * leads topic.
 */
final class LatencyBenchmark {
    private final Benchmarks bench;
    private final PrintStream log;

    LatencyBenchmark(Benchmarks bench, PrintStream log) {
        this.bench = bench;
        this.log = log;
    }

    /**
     * @param leads whether to time leads rather than alerts
     * @param savepoint the state the job starts from (codes already held), or null for none
     */
    Result run(long orderingDelayMs, long checkpointMs, int seconds, int packsPerSecond, boolean leads, String savepoint) throws Exception {
        log.printf("  %s latency with ordering delay %d ms, checkpoint every %d ms, %d s...%n", leads ? "lead" : "alert",
                orderingDelayMs, checkpointMs, seconds);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            TracewatchConfig config = bench.config("kafka.bootstrap_servers=" + kafka.bootstrapServers(),
                    "detection.ordering_delay_ms=" + orderingDelayMs, "detection.max_judge_delay_ms=" + Math.max(orderingDelayMs, 1000),
                    "job.checkpoint_interval_ms=" + checkpointMs, "kafka.idle_partition_timeout_ms=1000");
            kafka.createTopics(config.kafka(), bench.parallelism() * 2);
            StreamExecutionEnvironment env = bench.environment(config, true, savepoint);
            JobRest rest = JobRest.of(env);
            io.tracewatch.job.StreamingJob.build(env, config);
            JobClient job = env.executeAsync("bench latency");
            // scans sent while held codes are restored would time the restore
            rest.awaitRunning(job.getJobID(), Duration.ofHours(2));

            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean done = new AtomicBoolean();
            Thread reader = new Thread(() -> readTriggers(kafka, leads ? config.kafka().leadsTopic() : config.kafka().alertsTopic(),
                    leads ? json -> RecordJson.decode(json, Lead.class).getTriggerEventId() : json -> AlertJson.decode(json).getTriggerEventId(),
                    sentAt, latencies, done), "bench-alert-reader");
            reader.start();
            long warmUpUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(kafka.bootstrapServers())) {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 5);
                long pack = 0;
                while (System.nanoTime() < end) {
                    long tick = System.nanoTime();
                    for (int i = 0; i < packsPerSecond / 10; i++) {
                        pack++;
                        String code = String.format("8612345%013d", pack);
                        Map<String, Long> timed = tick > warmUpUntil ? sentAt : null;
                        if (leads) {
                            // sold and settled at one pharmacy, then received by another: the resale is flagged at that inbound scan
                            Instant now = Instant.now();
                            String sale = ",\"transaction_id\":\"T" + pack + "\"";
                            send(producer, config.kafka().scansTopic(), code, "l" + pack + "a", "SELL", now.minusSeconds(120), "PH-120101-0001", sale, null);
                            send(producer, config.kafka().scansTopic(), code, "l" + pack + "b", "SETTLE", now.minusSeconds(110), "PH-120101-0001", sale, null);
                            send(producer, config.kafka().scansTopic(), code, "l" + pack + "c", "RECEIVE", now, "PH-120105-0002",
                                    ",\"counterparty_id\":\"DS-120104-0003\"", timed);
                        } else {
                            send(producer, config.kafka().scansTopic(), code, "l" + pack + "a", "SELL", Instant.now(), "PH-120101-0001", "", null);
                            send(producer, config.kafka().scansTopic(), code, "l" + pack + "b", "SELL", Instant.now(), "PH-120105-0002", "", timed);
                        }
                    }
                    Thread.sleep(Math.max(0, 100 - (System.nanoTime() - tick) / 1_000_000));
                }
            }
            Thread.sleep(orderingDelayMs + checkpointMs * 2 + 3000);
            done.set(true);
            reader.join();
            job.cancel().get();
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            Result result = Result.of(leads ? "lead latency" : "alert latency", "ordering delay " + orderingDelayMs + " ms, checkpoint " + checkpointMs + " ms"
                            + (savepoint == null ? "" : ", codes held"), sorted.size(), seconds);
            return result.with("p50_ms", percentile(sorted, 0.50)).with("p99_ms", percentile(sorted, 0.99))
                    .with("max_ms", sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1))
                    // timed scans whose alert never reached the read_committed reader: each one lost, or later than the wait
                    .with("unanswered", sentAt.size())
                    .with("ordering_delay_ms", orderingDelayMs).with("checkpoint_interval_ms", checkpointMs);
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String code, String eventId, String type, Instant time,
            String party, String extra, Map<String, Long> sentAt) {
        String json = "{\"event_id\":\"" + eventId + "\",\"code\":\"" + code + "\",\"event_type\":\"" + type + "\",\"event_time\":\""
                + time + "\",\"party_id\":\"" + party + "\",\"party_type\":\"PHARMACY\",\"pack_size\":24" + extra + "}";
        if (sentAt != null) {
            sentAt.put(eventId, System.nanoTime());
        }
        producer.send(new ProducerRecord<>(topic, code.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)));
    }

    /** Reads committed records until {@code done}, timing each whose trigger event was timed when sent. */
    private static void readTriggers(EmbeddedKafka kafka, String topic, java.util.function.Function<String, String> trigger,
            Map<String, Long> sentAt, List<Long> latencies, AtomicBoolean done) {
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.committedReader(kafka.bootstrapServers(), topic)) {
            while (!done.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    Long sent = sentAt.remove(trigger.apply(new String(record.value(), StandardCharsets.UTF_8)));
                    if (sent != null) {
                        latencies.add((now - sent) / 1_000_000);
                    }
                }
            }
        }
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
