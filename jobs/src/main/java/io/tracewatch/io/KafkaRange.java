package io.tracewatch.io;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.common.TopicPartition;

/**
 * One end of a range of a topic, as a user writes it: {@code earliest}, {@code latest}, an
 * ISO-8601 instant, epoch millis, or {@code offsets:0=1200,1=1170} (partition=offset).
 */
public final class KafkaRange {
    private KafkaRange() {}

    /** @throws IllegalArgumentException with a message naming what could not be read */
    public static OffsetsInitializer position(String text, String topic) {
        String value = text.trim();
        if (value.equals("earliest")) {
            return OffsetsInitializer.earliest();
        }
        if (value.equals("latest")) {
            return OffsetsInitializer.latest();
        }
        if (value.startsWith("offsets:")) {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            for (String pair : value.substring("offsets:".length()).split(",")) {
                String[] parts = pair.split("=");
                try {
                    offsets.put(new TopicPartition(topic, Integer.parseInt(parts[0].trim())), Long.parseLong(parts[1].trim()));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("cannot read '" + pair + "' as partition=offset");
                }
            }
            return OffsetsInitializer.offsets(offsets);
        }
        try {
            return OffsetsInitializer.timestamp(value.matches("[0-9]+") ? Long.parseLong(value) : Instant.parse(value).toEpochMilli());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is not earliest, latest, an ISO-8601 instant, epoch millis or offsets:P=O,...");
        }
    }
}
