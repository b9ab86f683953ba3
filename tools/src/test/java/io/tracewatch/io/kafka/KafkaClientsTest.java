package io.tracewatch.io.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The commands' Kafka clients give up within their bounds when no broker answers, and say why. */
class KafkaClientsTest {
    @Test
    void aProducerWithNoBrokerFailsItsSendAndClosesWithinItsBounds() {
        long started = System.nanoTime();
        KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(new Properties(), "127.0.0.1:1");
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>("t", "v".getBytes(StandardCharsets.UTF_8))).get())
                .isInstanceOf(ExecutionException.class).hasMessageContaining("not present in metadata");
        producer.close();
        assertThat((System.nanoTime() - started) / 1e9).as("seconds until the send failed and the producer closed").isLessThan(20);
    }
}
