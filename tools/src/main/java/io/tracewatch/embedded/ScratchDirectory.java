package io.tracewatch.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;

/**
 * A temporary directory a command owns and removes when it ends, with whatever an embedded Flink
 * put in it (the RPC system's jar, the cluster's working directories), so that no run leaves files
 * behind in the system's temporary directory.
 */
public final class ScratchDirectory implements AutoCloseable {
    private final Path path;
    private final Thread onSigterm;

    private ScratchDirectory(Path path, boolean deleteOnSigterm) {
        this.path = path;
        this.onSigterm = deleteOnSigterm ? new Thread(() -> deleteQuietly(path), "tracewatch-scratch-cleanup") : null;
        if (onSigterm != null) {
            Runtime.getRuntime().addShutdownHook(onSigterm);
        }
    }

    /**
     * @param deleteOnSigterm also delete it when the JVM is stopped; false where something still
     *     running at that moment (an embedded broker) must be stopped before its files go
     */
    public static ScratchDirectory create(String prefix, boolean deleteOnSigterm) throws IOException {
        return new ScratchDirectory(Files.createTempDirectory(prefix), deleteOnSigterm);
    }

    public Path path() {
        return path;
    }

    /** Points an embedded Flink's temporary files here. */
    public Configuration forFlink(Configuration flink) {
        flink.set(CoreOptions.TMP_DIRS, path.resolve("flink").toString());
        return flink;
    }

    @Override
    public void close() {
        deleteQuietly(path);
        if (onSigterm != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(onSigterm);
            } catch (IllegalStateException shuttingDown) {
                // the hook deletes it
            }
        }
    }

    public static void deleteRecursively(Path dir) {
        // an embedded Flink may still be removing its own files: one gone during the walk is walked again
        for (int attempt = 1; Files.exists(dir); attempt++) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                if (attempt == 3) {
                    throw e instanceof UncheckedIOException unchecked ? unchecked : new UncheckedIOException((IOException) e);
                }
                continue;
            }
            if (Files.exists(dir) && attempt == 3) {
                throw new UncheckedIOException(new IOException("files in it could not be deleted"));
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteRecursively(dir);
        } catch (UncheckedIOException e) {
            System.err.println("tracewatch: could not remove " + dir + ": " + e.getCause().getMessage());
        }
    }
}
