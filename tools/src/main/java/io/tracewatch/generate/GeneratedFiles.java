package io.tracewatch.generate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewatch.io.kafka.KafkaClients;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.producer.KafkaProducer;

/** Writes generated traffic to a JSON Lines file (gzip when the name ends in .gz) and its labels beside it. */
public final class GeneratedFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GeneratedFiles() {}

    /** Counts of what was written. */
    public record Written(long records, long malformed, long labels) {}

    /** Where generated scans go: a file or a topic. */
    private interface ScanSink {
        void accept(ScanGenerator.GeneratedScan scan) throws IOException;
    }

    public static Written write(ScanGenerator.Settings settings, Path scans, Path labelsFile) throws IOException {
        try (Writer out = writer(scans)) {
            return generate(settings, labelsFile, scan -> {
                out.write(scan.json());
                out.write('\n');
            });
        }
    }

    /** Sends the traffic to a Kafka topic, keyed by code, at most {@code perSecond} scans a second. */
    public static Written send(ScanGenerator.Settings settings, String bootstrapServers, Properties client, String topic,
            int perSecond, Path labelsFile) throws IOException {
        long[] labels = {0};
        long[] malformed = {0};
        try (Writer labelsOut = writer(labelsFile);
                KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(client, bootstrapServers)) {
            ScanGenerator traffic = new ScanGenerator(settings, label -> writeLabel(labelsOut, label, labels));
            long sent = TrafficSender.send(traffic, producer, topic, perSecond, scan -> malformed[0] += scan.event() == null ? 1 : 0, () -> false);
            return new Written(sent, malformed[0], labels[0]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending to " + topic, e);
        }
    }

    private static Written generate(ScanGenerator.Settings settings, Path labelsFile, ScanSink sink) throws IOException {
        long[] labelCount = {0};
        long records = 0;
        long malformed = 0;
        try (Writer labelsOut = writer(labelsFile)) {
            ScanGenerator generator = new ScanGenerator(settings, label -> writeLabel(labelsOut, label, labelCount));
            while (generator.hasNext()) {
                ScanGenerator.GeneratedScan scan = generator.next();
                sink.accept(scan);
                records++;
                if (scan.event() == null) {
                    malformed++;
                }
            }
        }
        return new Written(records, malformed, labelCount[0]);
    }

    private static void writeLabel(Writer out, Label label, long[] count) {
        try {
            out.write(labelJson(label));
            out.write('\n');
            count[0]++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String labelJson(Label label) {
        var node = JSON.createObjectNode()
                .put("code", label.code())
                .put("rule", label.rule())
                .put("trigger_event_id", label.triggerEventId());
        if (label.cause() != null) {
            node.put("cause", label.cause());
        }
        return node.toString();
    }

    private static Writer writer(Path file) throws IOException {
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        OutputStream out = Files.newOutputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            out = new GZIPOutputStream(out, 1 << 16);
        }
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    }

    static {
        JSON.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }
}
