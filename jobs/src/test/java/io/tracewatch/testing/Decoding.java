package io.tracewatch.testing;

import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.io.codec.ScanDecoder;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.Ingested;
import java.nio.charset.StandardCharsets;

/** The pipeline's decoder with the default settings, for tests that feed records to an operator. */
public final class Decoding {
    public static final ScanDecoder DEFAULT = ScanDecoder.of(TracewatchConfig.defaults().ingest());

    private Decoding() {}

    public static Ingested json(String line, long position) {
        return DEFAULT.json(line.getBytes(StandardCharsets.UTF_8), new DeadLetters.Origin("test", position, null));
    }

    public static Ingested event(ScanEvent event, long position) {
        return DEFAULT.event(event, new DeadLetters.Origin("test", position, null));
    }
}
