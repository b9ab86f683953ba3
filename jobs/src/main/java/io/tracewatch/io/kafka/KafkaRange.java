package io.tracewatch.io.kafka;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.common.TopicPartition;

/**
 * One end of a range of a topic, as a user writes it: {@code earliest}, {@code latest}, an
 * ISO-8601 instant, epoch millis, or {@code offsets:0=1200,1=1170} (partition=offset).
 */
public final class KafkaRange {
    private KafkaRange() {}

    /** A position read from the command line, checked before any job starts. */
    public record Position(String text, long time, Map<Integer, Long> offsets) {
        private static final long EARLIEST = Long.MIN_VALUE;
        private static final long LATEST = Long.MAX_VALUE;

        public OffsetsInitializer initializer(String topic) {
            if (offsets != null) {
                Map<TopicPartition, Long> byPartition = new HashMap<>();
                offsets.forEach((partition, offset) -> byPartition.put(new TopicPartition(topic, partition), offset));
                return OffsetsInitializer.offsets(byPartition);
            }
            if (time == EARLIEST) {
                return OffsetsInitializer.earliest();
            }
            return time == LATEST ? OffsetsInitializer.latest() : OffsetsInitializer.timestamp(time);
        }
    }

    /** @throws IllegalArgumentException with a message naming what could not be read */
    public static Position parse(String text) {
        String value = text.trim();
        if (value.equals("earliest")) {
            return new Position(value, Position.EARLIEST, null);
        }
        if (value.equals("latest")) {
            return new Position(value, Position.LATEST, null);
        }
        if (value.startsWith("offsets:")) {
            Map<Integer, Long> offsets = new TreeMap<>();
            for (String pair : value.substring("offsets:".length()).split(",")) {
                String[] parts = pair.split("=");
                try {
                    int partition = Integer.parseInt(parts[0].trim());
                    long offset = Long.parseLong(parts[1].trim());
                    if (partition < 0 || offset < 0 || parts.length != 2) {
                        throw new NumberFormatException();
                    }
                    offsets.put(partition, offset);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("cannot read '" + pair + "' as partition=offset (two whole numbers, 0 or more)");
                }
            }
            return new Position(value, 0, offsets);
        }
        try {
            return new Position(value, value.matches("[0-9]{1,18}") ? Long.parseLong(value) : Instant.parse(value).toEpochMilli(), null);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is not earliest, latest, an ISO-8601 instant, epoch millis or offsets:P=O,...");
        }
    }

    /**
     * Refuses a range that cannot be what was meant: a partition the topic does not have, or a start
     * after the end (when both are times, or both offsets of one partition).
     *
     * @param partitions how many partitions the topic has
     */
    public static void check(Position from, Position to, String topic, int partitions) {
        for (Position position : new Position[] {from, to}) {
            if (position.offsets() != null) {
                for (int partition : position.offsets().keySet()) {
                    if (partition >= partitions) {
                        throw new IllegalArgumentException("topic " + topic + " has no partition " + partition + " (it has "
                                + partitions + ": 0 to " + (partitions - 1) + ")");
                    }
                }
            }
        }
        if (from.offsets() == null && to.offsets() == null && from.time() > to.time()) {
            throw new IllegalArgumentException("--from " + from.text() + " is after --to " + to.text());
        }
        if (from.offsets() != null && to.offsets() != null) {
            from.offsets().forEach((partition, offset) -> {
                Long end = to.offsets().get(partition);
                if (end != null && offset > end) {
                    throw new IllegalArgumentException("--from starts partition " + partition + " at " + offset + ", after --to's " + end);
                }
            });
        }
    }
}
