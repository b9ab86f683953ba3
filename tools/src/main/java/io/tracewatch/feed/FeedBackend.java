package io.tracewatch.feed;

import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.io.codec.ReferenceJson;
import io.tracewatch.io.kafka.KafkaClients;
import io.tracewatch.io.kafka.KafkaSettings;
import io.tracewatch.io.kafka.RecordFormat;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.Alert;
import io.tracewatch.model.CaseAction;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.Lead;
import io.tracewatch.model.Verification;
import io.tracewatch.model.VerifyRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The feed's side of Kafka: followers that fill {@link FeedData} from the alerts, cases, leads and
 * parties topics; the producer of case actions; and verification requests with their answers.
 */
public final class FeedBackend implements AutoCloseable, FeedServer.ActionPublisher, FeedServer.Verifier {
    private final KafkaSettings kafka;
    private final FeedData data;
    private final List<TopicFollower<?>> followers = new ArrayList<>();
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<String, CompletableFuture<Verification>> pending = new ConcurrentHashMap<>();

    private FeedBackend(TracewatchConfig config, Properties client) {
        this.kafka = config.kafka();
        this.data = FeedData.empty(config.feed().windowSize(), this::connected);
        followers.add(new TopicFollower<>(kafka, client, kafka.alertsTopic(), null, alertDecoder(kafka), data.alerts()::apply).start());
        followers.add(new TopicFollower<>(kafka, client, kafka.casesTopic(), null,
                decoder(kafka, CaseRecord.class, b -> CaseRecord.getDecoder().decode(b)), data.cases()::apply).start());
        followers.add(new TopicFollower<>(kafka, client, kafka.leadsTopic(), null,
                decoder(kafka, Lead.class, b -> Lead.getDecoder().decode(b)), data.leads()::apply).start());
        followers.add(new TopicFollower<>(kafka, client, kafka.verificationsTopic(), null,
                decoder(kafka, Verification.class, b -> Verification.getDecoder().decode(b)), this::answered).start());
        if (config.reference().enabled()) {
            followers.add(new TopicFollower<>(kafka, client, kafka.partiesTopic(), null,
                    b -> ReferenceJson.decode(ReferenceJson.Kind.PARTY, b, new DeadLetters.Origin(kafka.partiesTopic(), -1, null)).getParty(),
                    data.parties()::apply).start());
        }
        this.producer = KafkaClients.producer(client, kafka.bootstrapServers());
    }

    public static FeedBackend start(TracewatchConfig config, Properties client) {
        return new FeedBackend(config, client);
    }

    public FeedData data() {
        return data;
    }

    /** Whether every follower reached the broker on its last poll. */
    public boolean connected() {
        return followers.stream().allMatch(TopicFollower::connected);
    }

    /** How alert records of the configured format are read. */
    public static Function<byte[], Alert> alertDecoder(KafkaSettings kafka) {
        return kafka.alertFormat() == RecordFormat.AVRO
                ? bytes -> decodeAvro(() -> Alert.getDecoder().decode(bytes))
                : bytes -> AlertJson.decode(new String(bytes, StandardCharsets.UTF_8));
    }

    /** How the records of cases.md (cases, leads, verifications) of the configured format are read. */
    public static <T extends org.apache.avro.specific.SpecificRecord> Function<byte[], T> decoder(
            KafkaSettings kafka, Class<T> type, AvroDecoder<T> avro) {
        return kafka.alertFormat() == RecordFormat.AVRO
                ? bytes -> decodeAvro(() -> avro.decode(bytes))
                : bytes -> RecordJson.decode(new String(bytes, StandardCharsets.UTF_8), type);
    }

    /** A generated record's single-object decoder. */
    public interface AvroDecoder<T> {
        T decode(byte[] bytes) throws java.io.IOException;
    }

    private interface Decoding<T> {
        T run() throws java.io.IOException;
    }

    private static <T> T decodeAvro(Decoding<T> decoding) {
        try {
            return decoding.run();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a record of the expected schema", e);
        }
    }

    @Override
    public void publish(CaseAction action) throws Exception {
        producer.send(new ProducerRecord<>(kafka.caseActionsTopic(), action.getCaseId().getBytes(StandardCharsets.UTF_8),
                RecordJson.encode(action).getBytes(StandardCharsets.UTF_8))).get();
    }

    @Override
    public CompletableFuture<Verification> verify(String code, String requestedBy) {
        String id = "feed-" + UUID.randomUUID();
        CompletableFuture<Verification> answer = new CompletableFuture<>();
        pending.put(id, answer);
        answer.whenComplete((v, e) -> pending.remove(id));
        VerifyRequest request = VerifyRequest.newBuilder().setRequestId(id).setCode(code).setRequestedBy(requestedBy).build();
        producer.send(new ProducerRecord<>(kafka.verifyRequestsTopic(), code.getBytes(StandardCharsets.UTF_8),
                RecordJson.encode(request).getBytes(StandardCharsets.UTF_8)));
        return answer;
    }

    private void answered(Verification verification) {
        CompletableFuture<Verification> waiting = pending.get(verification.getRequestId());
        if (waiting != null) {
            waiting.complete(verification);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (TopicFollower<?> follower : followers) {
            follower.close();
        }
        producer.close();
    }
}
