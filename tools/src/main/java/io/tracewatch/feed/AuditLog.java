package io.tracewatch.feed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracewatch.config.FeedSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Who looked at what: one JSON line per API request with the time, the token's name (never the
 * token), the method, the path, the case or code it concerned, and the status answered. Rotated
 * by size: {@code file.1} is the newest rotated file, the oldest beyond {@code keep_files} is dropped.
 */
public final class AuditLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final long maxBytes;
    private final int keepFiles;

    public AuditLog(FeedSettings.AuditSettings settings) {
        this.file = Paths.get(settings.file()).toAbsolutePath();
        this.maxBytes = settings.maxBytes();
        this.keepFiles = settings.keepFiles();
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the audit log's directory " + file.getParent(), e);
        }
    }

    public Path file() {
        return file;
    }

    /**
     * @param subject the case_id or code the request concerned, or null
     */
    public synchronized void record(String tokenName, String method, String path, String subject, int status) {
        ObjectNode line = JSON.createObjectNode()
                .put("at", Instant.now().toString())
                .put("token", tokenName)
                .put("method", method)
                .put("path", path)
                .put("status", status);
        if (subject != null) {
            line.put("subject", subject);
        }
        try {
            byte[] bytes = (line.toString() + "\n").getBytes(StandardCharsets.UTF_8);
            if (Files.exists(file) && Files.size(file) + bytes.length > maxBytes) {
                rotate();
            }
            Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit log " + file, e);
        }
    }

    private void rotate() throws IOException {
        Files.deleteIfExists(rotated(keepFiles));
        for (int i = keepFiles - 1; i >= 1; i--) {
            if (Files.exists(rotated(i))) {
                Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
    }

    private Path rotated(int index) {
        return file.resolveSibling(file.getFileName() + "." + index);
    }

    @Override
    public void close() {
        // every line is written and closed as it is recorded
    }
}
