package io.tracewatch.io.file;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far a replay on the embedded Flink has read, for its progress line. The readers run in the
 * same JVM as the command, so plain counters are enough; on a cluster nobody reads them.
 */
public final class ReplayProgress {
    private static final AtomicLong BYTES = new AtomicLong();
    private static final AtomicLong RECORDS = new AtomicLong();
    private static volatile boolean ended;

    private ReplayProgress() {}

    public static void reset() {
        BYTES.set(0);
        RECORDS.set(0);
        ended = false;
    }

    /** Whether a reader that stays open (a bootstrap's) has emitted every record of its files. */
    public static boolean ended() {
        return ended;
    }

    static void markEnded() {
        ended = true;
    }

    public static long bytesRead() {
        return BYTES.get();
    }

    public static long recordsRead() {
        return RECORDS.get();
    }

    static void recordsRead(long count) {
        RECORDS.addAndGet(count);
    }

    /** Counts the bytes read from a file as stored (compressed bytes for a gzip file). */
    static InputStream counting(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    BYTES.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    BYTES.addAndGet(n);
                }
                return n;
            }
        };
    }
}
