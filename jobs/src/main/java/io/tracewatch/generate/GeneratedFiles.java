package io.tracewatch.generate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes generated traffic to a JSON Lines file (gzip when the name ends in .gz) and its labels beside it. */
public final class GeneratedFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GeneratedFiles() {}

    /** Counts of what was written. */
    public record Written(long records, long malformed, long labels) {}

    public static Written write(ScanGenerator.Settings settings, Path scans, Path labelsFile) throws IOException {
        long[] labelCount = {0};
        long records = 0;
        long malformed = 0;
        try (Writer out = writer(scans); Writer labelsOut = writer(labelsFile)) {
            ScanGenerator generator = new ScanGenerator(settings, label -> {
                try {
                    labelsOut.write(labelJson(label));
                    labelsOut.write('\n');
                    labelCount[0]++;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            while (generator.hasNext()) {
                ScanGenerator.GeneratedScan scan = generator.next();
                out.write(scan.json());
                out.write('\n');
                records++;
                if (scan.event() == null) {
                    malformed++;
                }
            }
        }
        return new Written(records, malformed, labelCount[0]);
    }

    public static String labelJson(Label label) {
        return JSON.createObjectNode()
                .put("code", label.code())
                .put("rule", label.rule())
                .put("trigger_event_id", label.triggerEventId())
                .toString();
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
