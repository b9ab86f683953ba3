package io.tracewatch.feed;

import io.tracewatch.settings.ConfigException;
import io.tracewatch.config.FeedSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.UUID;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** HTTPS for the feed: a Jetty connector with the certificate and key of {@code feed.tls}. */
final class FeedTls {
    private FeedTls() {}

    static Connector connector(Server server, HttpConfiguration http, FeedSettings settings) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        String password = UUID.randomUUID().toString();
        ssl.setKeyStore(keyStore(settings.tls(), password));
        ssl.setKeyStorePassword(password);
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        HttpConfiguration https = new HttpConfiguration(http);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // clients reach the feed by whatever name the operator gave it; the certificate is theirs to match
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
        connector.setHost(settings.bindHost());
        connector.setPort(settings.port());
        return connector;
    }

    private static KeyStore keyStore(FeedSettings.TlsSettings tls, String password) {
        try {
            if (tls.keystoreFile() != null && !tls.keystoreFile().isBlank()) {
                String secret = tls.keystorePasswordFile() != null && !tls.keystorePasswordFile().isBlank()
                        ? Files.readString(Path.of(tls.keystorePasswordFile()), StandardCharsets.UTF_8).strip()
                        : tls.keystorePasswordEnv() == null || tls.keystorePasswordEnv().isBlank() ? null : System.getenv(tls.keystorePasswordEnv());
                if (secret == null) {
                    throw new ConfigException("feed.tls.keystore_file needs its password in feed.tls.keystore_password_file or in "
                            + tls.keystorePasswordEnv());
                }
                KeyStore given = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(Path.of(tls.keystoreFile()))) {
                    given.load(in, secret.toCharArray());
                }
                // one store, one password: the key is copied into a store under this run's password
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                for (String alias : java.util.Collections.list(given.aliases())) {
                    if (given.isKeyEntry(alias)) {
                        store.setKeyEntry(alias, given.getKey(alias, secret.toCharArray()), password.toCharArray(), given.getCertificateChain(alias));
                    }
                }
                return store;
            }
            Collection<? extends Certificate> chain;
            try (InputStream in = Files.newInputStream(Path.of(tls.certFile()))) {
                chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("feed", privateKey(Path.of(tls.keyFile())), password.toCharArray(), chain.toArray(Certificate[]::new));
            return store;
        } catch (IOException e) {
            throw new ConfigException("feed.tls: cannot read " + e.getMessage());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException("feed.tls: unusable certificate or key: " + e.getMessage());
        }
    }

    /** A PEM PKCS#8 private key ("BEGIN PRIVATE KEY"), RSA or EC. */
    private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new GeneralSecurityException(file + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY); convert it with "
                    + "'openssl pkcs8 -topk8 -nocrypt'");
        }
        String body = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END PRIVATE KEY-----"))
                .replaceAll("\\s", "");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body));
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException(file + ": neither an RSA, EC nor Ed25519 key");
    }
}
