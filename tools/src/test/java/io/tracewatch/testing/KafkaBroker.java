package io.tracewatch.testing;

import io.tracewatch.embedded.EmbeddedKafka;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker (KRaft, in this JVM) once per test class. Register it as
 * {@code @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();}, or take
 * {@link LiveJobCluster} for a Flink MiniCluster beside it.
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedKafka kafka;
    private KafkaTopics topics;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        kafka = EmbeddedKafka.start();
        topics = new KafkaTopics(kafka.bootstrapServers());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        kafka.close();
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    /** Producing to and reading the broker's topics. */
    public KafkaTopics topics() {
        return topics;
    }
}
