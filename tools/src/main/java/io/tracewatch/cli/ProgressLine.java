package io.tracewatch.cli;

import io.tracewatch.io.file.ReplayProgress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A replay's or bootstrap's progress on stderr, once a second: records read, records per second, and with
 * files, the share of input bytes read and the time left. Rewrites one line on a terminal; prints
 * a line every ten seconds otherwise (a log file).
 */
final class ProgressLine {
    private final PrintStream err;
    private final String command;
    private final long totalBytes;
    private final boolean terminal = System.console() != null;
    private final long started = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;

    private ProgressLine(PrintStream err, String command, long totalBytes) {
        this.err = err;
        this.command = command;
        this.totalBytes = totalBytes;
        this.thread = new Thread(this::loop, "replay-progress");
        this.thread.setDaemon(true);
    }

    /** @param command the command's name, which each line starts with */
    static ProgressLine start(PrintStream err, String command, long totalBytes) {
        ProgressLine line = new ProgressLine(err, command, totalBytes);
        line.thread.start();
        return line;
    }

    private void loop() {
        long ticks = 0;
        while (running) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            ticks++;
            if (running && (terminal || ticks % 10 == 0)) {
                err.print((terminal ? "\r" : "") + describe() + (terminal ? "" : "\n"));
                err.flush();
            }
        }
    }

    String describe() {
        double seconds = (System.nanoTime() - started) / 1e9;
        long records = ReplayProgress.recordsRead();
        if (records == 0) {
            // Flink starts up before the first record is read: a rate of 0 would only say that
            return String.format(Locale.ROOT, "%s: starting (%.0f s)", command, seconds);
        }
        String line = String.format(Locale.ROOT, "%s: %,d records, %,.0f records/s", command, records, records / Math.max(seconds, 1e-3));
        long bytes = ReplayProgress.bytesRead();
        if (totalBytes > 0 && bytes > 0) {
            double share = Math.min(1.0, (double) bytes / totalBytes);
            long eta = (long) (seconds / share - seconds);
            line += share < 1.0
                    ? String.format(Locale.ROOT, ", %.0f%% of %,.1f MB, ETA %d:%02d", share * 100, totalBytes / 1048576.0, eta / 60, eta % 60)
                    : String.format(Locale.ROOT, ", all %,.1f MB read, finishing", totalBytes / 1048576.0);
        }
        return line;
    }

    void stop() {
        running = false;
        thread.interrupt();
        if (terminal) {
            err.print("\r" + " ".repeat(100) + "\r");
            err.flush();
        }
    }
}
