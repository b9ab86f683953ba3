package io.tracewatch.config;

import io.tracewatch.settings.Checks;
import io.tracewatch.settings.ConfigException;
import java.io.Serializable;

/**
 * The regulators' feed: where it listens and how it is secured, how many alerts it keeps, where its
 * tokens are, and where it records who looked at what.
 *
 * @param allowPlainHttp serve plain HTTP beyond loopback (a warning is printed); without TLS the
 *     feed otherwise binds only to loopback addresses
 * @param maxStreamsPerToken open event streams one token may hold
 */
public record FeedSettings(
        String bindHost,
        int port,
        int windowSize,
        String tokensFile,
        boolean allowPlainHttp,
        int maxStreamsPerToken,
        TlsSettings tls,
        AuditSettings audit)
        implements Serializable {

    /**
     * HTTPS: a PEM certificate chain and PKCS#8 key, or a PKCS#12 keystore whose password is in a
     * file (a mounted secret) or in the named environment variable. Empty: plain HTTP.
     */
    public record TlsSettings(String certFile, String keyFile, String keystoreFile, String keystorePasswordEnv, String keystorePasswordFile)
            implements Serializable {
        public boolean enabled() {
            return !blank(certFile) || !blank(keystoreFile);
        }

        public void validate() {
            if (!blank(certFile) != !blank(keyFile)) {
                throw new ConfigException("feed.tls.cert_file and feed.tls.key_file go together");
            }
            if (!blank(certFile) && !blank(keystoreFile)) {
                throw new ConfigException("give feed.tls.cert_file and key_file, or feed.tls.keystore_file, not both");
            }
        }
    }

    /** The audit log: a JSON line per API request, rotated by size, the oldest files dropped. */
    public record AuditSettings(String file, long maxBytes, int keepFiles) implements Serializable {
        public void validate() {
            Checks.notBlank(file, "feed.audit.file");
            Checks.atLeast(maxBytes, 1024, "feed.audit.max_bytes");
            Checks.atLeast(keepFiles, 1, "feed.audit.keep_files");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    public void validate() {
        Checks.notBlank(bindHost, "feed.bind_host");
        if (port < 0 || port > 65535) {
            throw new ConfigException("feed.port must be from 0 to 65535, got " + port);
        }
        Checks.atLeast(windowSize, 1, "feed.window_size");
        Checks.atLeast(maxStreamsPerToken, 1, "feed.max_streams_per_token");
        Checks.present(tls, "feed.tls");
        Checks.present(audit, "feed.audit");
        tls.validate();
        audit.validate();
    }
}
