package io.tracewatch.io.file;

import io.tracewatch.io.IngestedSerializer;
import io.tracewatch.io.codec.VerifyRequests;
import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.io.ports.RequestSource;
import io.tracewatch.model.internal.Ingested;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Verification requests from a JSON Lines file, for a replay: read whole when the source is made
 * (requests are few), each answered after the whole input of scans.
 */
public final class FileRequestSource implements RequestSource {
    private final Path file;
    private final List<Ingested> requests;

    public FileRequestSource(Path file) {
        this.file = file;
        this.requests = read(file);
    }

    /** The file's requests, each decoded or a dead letter. */
    public List<Ingested> requests() {
        return requests;
    }

    private static List<Ingested> read(Path file) {
        List<Ingested> requests = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).isBlank()) {
                    requests.add(VerifyRequests.decode(lines.get(i).getBytes(StandardCharsets.UTF_8),
                            new DeadLetters.Origin(file.toString(), i + 1, null)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return requests;
    }

    @Override
    public DataStream<Ingested> create(StreamExecutionEnvironment env) {
        // after every scan of its code in a batch replay's sort
        return env.fromData(requests, IngestedSerializer.TYPE)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Ingested>noWatermarks().withTimestampAssigner((r, t) -> Long.MAX_VALUE))
                .name("verification requests " + file.getFileName());
    }

    @Override
    public boolean answersAtEnd() {
        return true;
    }
}
