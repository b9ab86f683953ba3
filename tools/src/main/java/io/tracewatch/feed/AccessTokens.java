package io.tracewatch.feed;

import io.tracewatch.settings.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may use the feed, with which roles, for which regions. Tokens come from a file or the
 * environment, never the repository; they are compared in constant time and never logged: the
 * audit log and every message name a token by its name.
 *
 * <p>One token per line: {@code <name> <token> <roles> <region prefixes>}, e.g.
 * {@code heping-inspector 3kq...9z read,handle 120101,120102}; roles are {@code read} and
 * {@code handle}, prefixes a comma-separated list or {@code *} for every region. The older form
 * {@code <token> <region prefixes>} is read as a reader named by its line. A malformed, empty or
 * repeated entry stops the feed with the line that is wrong: a typo never widens access.
 */
public final class AccessTokens {
    public static final String ENVIRONMENT = "TRACEWATCH_FEED_TOKENS";
    public static final String READ = "read";
    public static final String HANDLE = "handle";
    private static final int MIN_TOKEN_LENGTH = 16;

    /** What one token may do: its name, its roles and its regions. */
    public record Scope(String name, Set<String> roles, Set<String> regionPrefixes, boolean everyRegion) {
        public static final Scope EVERY_REGION = new Scope("everyone", Set.of(READ, HANDLE), Set.of(), true);

        public boolean covers(String region) {
            return everyRegion || (region != null && regionPrefixes.stream().anyMatch(region::startsWith));
        }

        /** Whether any of the regions is covered. */
        public boolean coversAny(Iterable<String> regions) {
            for (String region : regions) {
                if (covers(region)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether every region the prefix names lies inside the scope. */
        public boolean coversPrefix(String prefix) {
            return everyRegion || regionPrefixes.stream().anyMatch(prefix::startsWith);
        }

        public boolean may(String role) {
            return roles.contains(role);
        }
    }

    private record Entry(byte[] digest, Scope scope) {}

    private final List<Entry> entries;

    private AccessTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Tokens from {@code file} when given, else from {@link #ENVIRONMENT} (lines separated by line ends or ";"); refuses to start with none. */
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
            // one entry per line, or several on one line separated by ";" (easier to put in one variable)
            lines = List.of(value.split("\\R|;"));
            source = ENVIRONMENT;
        }
        AccessTokens tokens = parse(lines, source);
        if (tokens.entries.isEmpty()) {
            throw new ConfigException("no feed tokens: set feed.tokens_file or " + ENVIRONMENT);
        }
        return tokens;
    }

    /** Blank lines and # comments are skipped; anything else must be a whole, new entry. */
    public static AccessTokens parse(List<String> lines, String source) {
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> tokens = new HashSet<>();
        int number = 0;
        for (String line : lines) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String where = source + " line " + number + ": ";
            String[] parts = text.split("\\s+");
            String name;
            String token;
            String roles;
            String prefixes;
            if (parts.length == 4) {
                name = parts[0];
                token = parts[1];
                roles = parts[2];
                prefixes = parts[3];
            } else if (parts.length == 2) {
                name = "token-" + number;
                token = parts[0];
                roles = READ;
                prefixes = parts[1];
            } else {
                throw new ConfigException(where + "expected '<name> <token> <roles> <region prefixes or *>'");
            }
            if (token.length() < MIN_TOKEN_LENGTH) {
                throw new ConfigException(where + "the token of " + name + " is shorter than " + MIN_TOKEN_LENGTH + " characters");
            }
            if (!names.add(name)) {
                throw new ConfigException(where + "a second token named " + name);
            }
            if (!tokens.add(token)) {
                throw new ConfigException(where + "the token of " + name + " is also given to another name");
            }
            Set<String> roleSet = new LinkedHashSet<>();
            for (String role : roles.split(",")) {
                if (!role.equals(READ) && !role.equals(HANDLE)) {
                    throw new ConfigException(where + "unknown role '" + role + "' (roles: read, handle)");
                }
                roleSet.add(role);
            }
            roleSet.add(READ);
            Scope scope;
            if (prefixes.equals("*")) {
                scope = new Scope(name, Set.copyOf(roleSet), Set.of(), true);
            } else {
                Set<String> regionPrefixes = new LinkedHashSet<>();
                for (String prefix : prefixes.split(",")) {
                    if (prefix.isEmpty() || prefix.length() > 6 || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')) {
                        throw new ConfigException(where + "region prefix '" + prefix + "' of " + name + " is not 1-6 digits");
                    }
                    regionPrefixes.add(prefix);
                }
                scope = new Scope(name, Set.copyOf(roleSet), Set.copyOf(regionPrefixes), false);
            }
            entries.add(new Entry(digest(token), scope));
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
