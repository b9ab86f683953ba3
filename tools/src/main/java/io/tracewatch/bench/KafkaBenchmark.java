package io.tracewatch.bench;

import io.tracewatch.embedded.EmbeddedKafka;
import io.tracewatch.io.codec.ScanEventJson;
import io.tracewatch.io.kafka.KafkaClients;
import io.tracewatch.io.kafka.KafkaOutputs;
import io.tracewatch.io.kafka.KafkaScanSource;
import io.tracewatch.io.kafka.KafkaSettings;
import io.tracewatch.io.ports.ScanSource;
import io.tracewatch.job.DetectionTopology;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.internal.Ingested;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
/**
 * The detection job from Kafka to Kafka with exactly-once delivery, against a passthrough with the
 * same source, decoding and exactly-once Kafka sink, on the same records of one embedded broker:
 * what keying, detection, the case stage and the job's transactional sinks cost per scan.
 */
final class KafkaBenchmark {
    private final Benchmarks bench;
    private final PrintStream log;

    KafkaBenchmark(Benchmarks bench, PrintStream log) {
        this.bench = bench;
        this.log = log;
    }

    List<Result> run(long events) throws Exception {
        Path file = bench.traffic(events);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            TracewatchConfig config = bench.config("kafka.bootstrap_servers=" + kafka.bootstrapServers(),
                    "kafka.scans_topic=bench.scans", "kafka.alerts_topic=bench.alerts", "kafka.dead_letter_topic=bench.dead-letters",
                    "job.checkpoint_interval_ms=1000");
            kafka.createTopics(config.kafka(), Math.max(4, bench.parallelism() * 2));
            kafka.createTopic("bench.passthrough", 2);
            log.printf("  producing %,d records to Kafka...%n", Benchmarks.lines(file));
            long records = produce(kafka, file, "bench.scans");
            Properties client = new Properties();

            log.println("  Kafka → Kafka exactly-once: passthrough...");
            StreamExecutionEnvironment passEnv = bench.environment(config, true);
            DetectionTopology.decode(passEnv, config, bounded(config.kafka(), client))
                    .sinkTo(KafkaSink.<Ingested>builder()
                            .setBootstrapServers(kafka.bootstrapServers())
                            .setRecordSerializer((KafkaRecordSerializationSchema<Ingested>) (scan, context, timestamp) ->
                                    new ProducerRecord<>("bench.passthrough", scan.getEvent().getCode().getBytes(StandardCharsets.UTF_8),
                                            ScanEventJson.encode(scan.getEvent()).getBytes(StandardCharsets.UTF_8)))
                            .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                            .setTransactionalIdPrefix("bench-passthrough")
                            .setProperty("transaction.timeout.ms", Long.toString(config.kafka().transactionTimeoutMs()))
                            .build())
                    .name("passthrough topic").uid("passthrough-kafka");
            Result passthrough = Result.of("Kafka → Kafka, exactly-once", "passthrough", records, Benchmarks.seconds(passEnv.execute("bench passthrough")));

            log.println("  Kafka → Kafka exactly-once: detection...");
            StreamExecutionEnvironment detectEnv = bench.environment(config, true);
            DetectionTopology.build(detectEnv, config, bounded(config.kafka(), client), new KafkaOutputs(config.kafka(), client));
            Result detection = Result.of("Kafka → Kafka, exactly-once", "detection", records, Benchmarks.seconds(detectEnv.execute("bench detection")));
            detection.with("ratio_to_passthrough", detection.eventsPerSecond() / passthrough.eventsPerSecond());
            return List.of(passthrough, detection);
        }
    }

    private static ScanSource bounded(KafkaSettings kafka, Properties client) {
        return new KafkaScanSource(kafka, client, OffsetsInitializer.earliest(), OffsetsInitializer.latest());
    }

    private static long produce(EmbeddedKafka kafka, Path file, String topic) throws IOException {
        long count = 0;
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(kafka.bootstrapServers());
                BufferedReader lines = Files.newBufferedReader(file)) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isBlank()) {
                    String code = ScanEventJson.decode(line).code();
                    producer.send(new ProducerRecord<>(topic, code == null ? null : code.getBytes(StandardCharsets.UTF_8),
                            line.getBytes(StandardCharsets.UTF_8)));
                    count++;
                }
            }
        }
        return count;
    }
}
