package io.tracewatch.feed;

import io.tracewatch.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may read the feed, and which regions each reader sees. Tokens come from a file or the
 * environment, never the repository; they are compared in constant time and never logged.
 */
public final class AccessTokens {
    public static final String ENVIRONMENT = "TRACEWATCH_FEED_TOKENS";

    /** The regions one token may see: administrative division prefixes, or every region. */
    public record Scope(Set<String> regionPrefixes, boolean everyRegion) {
        public static final Scope EVERY_REGION = new Scope(Set.of(), true);

        public boolean covers(String region) {
            return everyRegion || (region != null && regionPrefixes.stream().anyMatch(region::startsWith));
        }

        /** Whether every region the prefix names lies inside the scope. */
        public boolean coversPrefix(String prefix) {
            return everyRegion || regionPrefixes.stream().anyMatch(prefix::startsWith);
        }
    }

    private record Entry(byte[] digest, Scope scope) {}

    private final List<Entry> entries;

    private AccessTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Tokens from {@code file} when given, else from {@link #ENVIRONMENT}; refuses to start with none. */
    public static AccessTokens load(String file, Map<String, String> environment) {
        List<String> lines;
        String source;
        if (file != null && !file.isBlank()) {
            try {
                lines = Files.readAllLines(Paths.get(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException("cannot read feed tokens file " + file + ": " + e.getMessage());
            }
            source = "feed tokens file " + file;
        } else {
            String value = environment.getOrDefault(ENVIRONMENT, "");
            lines = List.of(value.split(";"));
            source = ENVIRONMENT;
        }
        AccessTokens tokens = parse(lines, source);
        if (tokens.entries.isEmpty()) {
            throw new ConfigException("no feed tokens: set feed.tokens_file or " + ENVIRONMENT);
        }
        return tokens;
    }

    /** Lines "{@code <token> <prefix>[,<prefix>...]}" or "{@code <token> *}"; blank lines and # comments skipped. */
    public static AccessTokens parse(List<String> lines, String source) {
        List<Entry> entries = new ArrayList<>();
        int number = 0;
        for (String line : lines) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] parts = text.split("\\s+", 2);
            if (parts.length != 2 || parts[0].length() < 16) {
                throw new ConfigException(source + " line " + number + ": expected '<token of 16+ characters> <region prefixes or *>'");
            }
            Scope scope = parts[1].equals("*")
                    ? Scope.EVERY_REGION
                    : new Scope(Set.of(parts[1].split("\\s*,\\s*")), false);
            entries.add(new Entry(digest(parts[0]), scope));
        }
        return new AccessTokens(entries);
    }

    /** The scope of a presented token; empty for an unknown one. Every entry is checked, in constant time each. */
    public Optional<Scope> scopeOf(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = digest(presented);
        Scope found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), digest)) {
                found = entry.scope();
            }
        }
        return Optional.ofNullable(found);
    }

    /** Tokens are compared as SHA-256 digests, so comparison time does not depend on the token's length either. */
    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

}
