package io.tracewatch.feed;

import io.tracewatch.embedded.EmbeddedKafka;
import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.io.kafka.KafkaClients;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.alert.ChineseExplanations;
import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.model.EventType;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.Severity;
import io.tracewatch.testing.Scan;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A real broker, the feed following its topics, and tokens: the city (read and handle, every
 * region), a district reader (120101) and a district handler (120105).
 */
final class FeedFixture implements AutoCloseable {
    static final String CITY = "city-token-0123456789abcdef";
    static final String DISTRICT = "district-120101-token-0123456";
    static final String HANDLER = "handler-120105-token-01234567";
    static final int MAX_STREAMS = 3;

    final EmbeddedKafka kafka;
    final TracewatchConfig config;
    final FeedBackend backend;
    final AlertWindow window;
    final FeedServer server;
    final java.nio.file.Path auditFile;
    private final KafkaProducer<byte[], byte[]> producer;

    FeedFixture() throws Exception {
        kafka = EmbeddedKafka.start();
        auditFile = java.nio.file.Files.createTempDirectory("feed-audit").resolve("audit.jsonl");
        config = TracewatchConfig.load(null, List.of("kafka.bootstrap_servers=" + kafka.bootstrapServers(), "reference.enabled=true",
                "feed.port=0", "feed.max_streams_per_token=" + MAX_STREAMS, "feed.audit.file=" + auditFile));
        kafka.createTopics(config.kafka(), 2);
        backend = FeedBackend.start(config, new Properties());
        window = backend.data().alerts();
        server = FeedServer.start(config.feed(), backend.data(), AccessTokens.parse(List.of(
                "city " + CITY + " read,handle *", "heping-reader " + DISTRICT + " read 120101", "hexi-handler " + HANDLER + " read,handle 120105"),
                "test"), new AuditLog(config.feed().audit()), backend, backend, System.err::println);
        producer = KafkaClients.producer(kafka.bootstrapServers());
    }

    /** Writes a record to a topic, as the job does. */
    void send(String topic, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8))).get();
    }

    /** Writes a case record to the cases topic and waits until the feed applied it. */
    void publish(io.tracewatch.model.CaseRecord record) throws Exception {
        send(config.kafka().casesTopic(), record.getCaseId(), io.tracewatch.io.codec.RecordJson.encode(record));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (backend.data().cases().get(record.getCaseId()) == null
                || backend.data().cases().get(record.getCaseId()).getVersion() < record.getVersion()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the feed did not apply " + record.getCaseId());
            }
            Thread.sleep(20);
        }
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Writes an alert record to the alerts topic, as the job does, and waits until the feed applied it. */
    void publish(Alert alert) throws Exception {
        producer.send(new ProducerRecord<>(config.kafka().alertsTopic(), alert.getCode().getBytes(StandardCharsets.UTF_8),
                AlertJson.encode(alert).getBytes(StandardCharsets.UTF_8))).get();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (window.ofCode(alert.getCode(), a -> a.getAlertId().equals(alert.getAlertId()) && a.getStatus() == alert.getStatus()).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the feed did not apply " + alert.getAlertId());
            }
            Thread.sleep(20);
        }
    }

    /** An alert of {@code rule} on a code sold at {@code party} in {@code region} (after an earlier sale at PH-1). */
    static Alert alert(String id, String rule, Severity severity, String code, String party, String region, String time) {
        ScanEvent first = Scan.of(id + "-1", EventType.SELL, "03-01 10:00", "PH-" + region + "-0001").code(code).at(39.117, 117.21).build();
        first.setRegion(region);
        ScanEvent trigger = Scan.of(id + "-2", EventType.SELL, time, party).code(code).at(39.16, 117.198).build();
        trigger.setRegion(region);
        return Alert.newBuilder()
                .setStatus(AlertStatus.RAISED)
                .setAlertId(id)
                .setRule(rule)
                .setRuleVersion("test")
                .setSeverity(severity)
                .setCode(code)
                .setTriggerEventId(trigger.getEventId())
                .setEventTime(trigger.getEventTime())
                .setEventTimeOffsetS(trigger.getEventTimeOffsetS())
                .setDetectedAt(Instant.now())
                .setPartyId(party)
                .setRegion(region)
                .setEvidence(List.of(first, trigger))
                .setExplanation("sold at " + party + " after it was sold at PH-120101-0001")
                .setExplanationZh(ChineseExplanations.ruleName(io.tracewatch.rules.RuleId.valueOf(rule)) + "：在 " + party + " 销售，此前已在 PH-120101-0001 销售")
                .build();
    }

    static Alert retraction(Alert raised) {
        return Alert.newBuilder(raised).setStatus(AlertStatus.RETRACTED).setEvidence(List.of())
                .setExplanation("withdrawn: after the late upload x, it no longer breaks " + raised.getRule()).build();
    }

    @Override
    public void close() throws Exception {
        producer.close();
        server.close();
        backend.close();
        kafka.close();
    }
}
