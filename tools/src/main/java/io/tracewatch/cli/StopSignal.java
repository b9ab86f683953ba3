package io.tracewatch.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C and SIGTERM for a command that runs until stopped. The signal starts the JVM's shutdown,
 * which waits here until the command has closed what it opened (Kafka transactions, the Flink job,
 * the broker, temporary files), but no longer than {@link #GRACE}, so a stop never hangs: process
 * managers send SIGKILL after 10 s.
 */
final class StopSignal implements AutoCloseable {
    static final Duration GRACE = Duration.ofSeconds(8);

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook = new Thread(this::stopAndWait, "tracewatch-stop");

    private StopSignal() {}

    static StopSignal install() {
        StopSignal signal = new StopSignal();
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    boolean requested() {
        return requested.getCount() == 0;
    }

    /** Blocks until a stop is requested. */
    void await() throws InterruptedException {
        requested.await();
    }

    /** Waits up to {@code timeout} for a stop; true when one was requested. */
    boolean await(Duration timeout) throws InterruptedException {
        return requested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks the command to stop, as a signal would (a closed output, say). */
    void request() {
        requested.countDown();
    }

    private void stopAndWait() {
        requested.countDown();
        try {
            closed.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command has closed everything: the JVM may end now. */
    @Override
    public void close() {
        closed.countDown();
        if (!requested()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs: it returns now that everything is closed
            }
        }
    }
}
