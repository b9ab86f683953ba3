package io.tracewatch.generate;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Sends generated scans to a topic, keyed by code, at a steady rate. */
public final class TrafficSender {
    private TrafficSender() {}

    /**
     * @param perSecond the most scans sent in a second
     * @param onSent told of each scan once it is handed to the producer
     * @param stop checked before each scan; sending ends when it answers true
     * @return how many scans were sent
     */
    public static long send(Iterator<ScanGenerator.GeneratedScan> traffic, KafkaProducer<byte[], byte[]> producer, String topic,
            int perSecond, Consumer<ScanGenerator.GeneratedScan> onSent, BooleanSupplier stop) throws InterruptedException {
        long started = System.nanoTime();
        long sent = 0;
        while (traffic.hasNext() && !stop.getAsBoolean()) {
            ScanGenerator.GeneratedScan scan = traffic.next();
            byte[] key = scan.event() == null ? null : scan.event().getCode().getBytes(StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(topic, key, scan.json().getBytes(StandardCharsets.UTF_8)));
            sent++;
            onSent.accept(scan);
            long wait = started + sent * 1_000_000_000L / perSecond - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        return sent;
    }
}
