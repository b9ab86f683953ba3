package io.tracewatch.testing;

import io.tracewatch.embedded.EmbeddedKafka;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the live job runs on, once per test class: a Flink MiniCluster and a real Kafka broker
 * (KRaft, in this JVM). Register it as
 * {@code @RegisterExtension static final LiveJobCluster CLUSTER = new LiveJobCluster(4);}; each
 * test gives its job topics of its own ({@link JobTopics}).
 */
public final class LiveJobCluster extends FlinkCluster {
    private final KafkaBroker broker = new KafkaBroker();

    public LiveJobCluster(int slots) {
        super(slots);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        broker.beforeAll(context);
        super.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            super.afterAll(context);
        } finally {
            broker.afterAll(context);
        }
    }

    public EmbeddedKafka kafka() {
        return broker.kafka();
    }

    /** Producing to and reading the broker's topics. */
    public KafkaTopics topics() {
        return broker.topics();
    }
}
