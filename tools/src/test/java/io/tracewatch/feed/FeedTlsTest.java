package io.tracewatch.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracewatch.config.FeedSettings;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.settings.ConfigException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feed over TLS with certificates made at test time (the JDK's keytool; OpenSSL for PEM): the
 * handshake succeeds against the generated certificate, plain HTTP on the same port does not, and
 * without TLS the feed will not bind beyond loopback unless told to.
 */
class FeedTlsTest {
    private static final String TOKEN = "tls-test-token-0123456789";
    private static final String PASSWORD = "changeit-for-tests";

    @TempDir
    Path dir;

    private Path keystore() throws Exception {
        Path store = dir.resolve("feed.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "feed", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        return store;
    }

    private FeedServer start(FeedSettings.TlsSettings tls, String host, boolean allowPlain, List<String> warnings) {
        FeedSettings defaults = TracewatchConfig.defaults().feed();
        FeedSettings settings = new FeedSettings(host, 0, 100, "", allowPlain, 4, tls,
                new FeedSettings.AuditSettings(dir.resolve("audit.jsonl").toString(), 1 << 20, 1));
        return FeedServer.start(settings, FeedData.empty(100), AccessTokens.parse(List.of("tls " + TOKEN + " read *"), "test"),
                new AuditLog(settings.audit()), action -> {}, (code, by) -> CompletableFuture.failedFuture(new IllegalStateException()),
                warnings::add);
    }

    private static HttpClient trusting(Path store) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            trusted.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }

    @Test
    void aPkcs12KeystoreServesHttpsAndPlainHttpIsRefused() throws Exception {
        Path store = keystore();
        FeedSettings.TlsSettings unset = new FeedSettings.TlsSettings("", "", store.toString(), "TRACEWATCH_TEST_UNSET_PASSWORD", "");
        assertThatThrownBy(() -> start(unset, "127.0.0.1", false, new ArrayList<>()))
                .as("without its password").isInstanceOf(ConfigException.class).hasMessageContaining("password");
        Path password = Files.writeString(dir.resolve("keystore.password"), PASSWORD + "\n");
        FeedSettings.TlsSettings tls = new FeedSettings.TlsSettings("", "", store.toString(), "", password.toString());
        try (FeedServer server = start(tls, "127.0.0.1", false, new ArrayList<>())) {
            HttpResponse<String> me = trusting(store).send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/api/me"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(me.statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + server.port() + "/api/me")).build(), HttpResponse.BodyHandlers.ofString()))
                    .as("plain HTTP to the TLS port").isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void aPemCertificateAndKeyServeHttpsWithSecurityHeaders() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")
                .redirectErrorStream(true).start();
        assertThat(openssl.waitFor()).as(new String(openssl.getInputStream().readAllBytes())).isZero();
        try (FeedServer server = start(new FeedSettings.TlsSettings(cert.toString(), key.toString(), "", "", ""), "127.0.0.1", false,
                new ArrayList<>())) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            try (InputStream in = Files.newInputStream(cert)) {
                trusted.setCertificateEntry("feed", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(context).build();
            HttpResponse<String> me = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/api/me"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(me.statusCode()).isEqualTo(200);
            assertThat(me.body()).contains("\"name\":\"tls\"");
            assertThat(me.headers().firstValue("Strict-Transport-Security")).isPresent();
            assertThat(me.sslSession()).hasValueSatisfying(session -> assertThat(session.getProtocol()).startsWith("TLSv1."));

            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + server.port() + "/api/me")).build(), HttpResponse.BodyHandlers.ofString()))
                    .as("plain HTTP to the TLS port").isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void withoutTlsTheFeedStaysOnLoopbackUnlessPlainHttpIsAllowedAndThenItWarns() throws Exception {
        FeedSettings.TlsSettings none = TracewatchConfig.defaults().feed().tls();
        assertThatThrownBy(() -> start(none, "0.0.0.0", false, new ArrayList<>()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("feed.allow_plain_http");
        List<String> warnings = new ArrayList<>();
        try (FeedServer server = start(none, "0.0.0.0", true, warnings)) {
            assertThat(server.port()).isPositive();
        }
        assertThat(warnings).singleElement().asString().contains("plain HTTP");
    }

    @Test
    void aMalformedOrRepeatedTokenEntryStopsTheFeedInsteadOfWideningAccess() {
        assertThatThrownBy(() -> AccessTokens.parse(List.of("a " + TOKEN + " read"), "t")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> AccessTokens.parse(List.of("a " + TOKEN + " read 1201", "a other-token-0123456789 read 1202"), "t"))
                .hasMessageContaining("second token named a");
        assertThatThrownBy(() -> AccessTokens.parse(List.of("a " + TOKEN + " read 1201", "b " + TOKEN + " read 1202"), "t"))
                .hasMessageContaining("also given to another name");
        assertThatThrownBy(() -> AccessTokens.parse(List.of("a " + TOKEN + " admin 1201"), "t")).hasMessageContaining("unknown role");
        assertThatThrownBy(() -> AccessTokens.parse(List.of("a " + TOKEN + " read 12,,01"), "t")).hasMessageContaining("region prefix");
        assertThatThrownBy(() -> AccessTokens.parse(List.of("a short read 1201"), "t")).hasMessageContaining("shorter than 16");
        assertThat(AccessTokens.parse(List.of("# comment", "", "a " + TOKEN + " read,handle 1201"), "t").scopeOf(TOKEN))
                .hasValueSatisfying(scope -> assertThat(scope.may("handle")).isTrue());
    }
}
