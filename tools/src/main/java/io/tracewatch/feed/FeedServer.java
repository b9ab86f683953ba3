package io.tracewatch.feed;

import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.tracewatch.config.FeedSettings;
import io.tracewatch.model.CaseAction;
import io.tracewatch.model.CaseStatus;
import io.tracewatch.model.Verification;
import io.tracewatch.settings.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The regulators' feed over HTTP(S): a JSON API, a server-sent event stream and the live page, all
 * behind bearer tokens scoped to regions and roles (cases.md, "Who sees what"). A reader never sees
 * an alert or case outside its regions, in lists, streams, counts or statistics; a filter that asks
 * for one is refused; handling a case needs the {@code handle} role for its region. Every API
 * request is in the audit log under the token's name.
 *
 * <p>This class is the route table; the parts it routes to are {@link FeedSecurity} (tokens,
 * headers, audit), {@link Visibility} (who sees what), {@link AlertStream} (server-sent events),
 * {@link AlertRoutes} and {@link CaseRoutes}.
 */
public final class FeedServer implements AutoCloseable {
    /** Where case actions taken in the feed go: the case-actions topic. */
    public interface ActionPublisher {
        void publish(CaseAction action) throws Exception;
    }

    /** Asks the detector about a code: a verification request and its answer. */
    public interface Verifier {
        CompletableFuture<Verification> verify(String code, String requestedBy);
    }

    private final Javalin app;

    private FeedServer(FeedSettings settings, FeedData data, AccessTokens tokens, AuditLog audit, ActionPublisher actions, Verifier verifier) {
        FeedSecurity security = new FeedSecurity(tokens, audit);
        AlertStream stream = new AlertStream(data, settings.maxStreamsPerToken());
        AlertRoutes alerts = new AlertRoutes(data, verifier);
        CaseRoutes cases = new CaseRoutes(data, actions);
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.staticFiles.add("/io/tracewatch/feed/web", Location.CLASSPATH);
            if (settings.tls().enabled()) {
                config.jetty.addConnector((server, http) -> FeedTls.connector(server, http, settings));
            } else {
                config.jetty.defaultHost = settings.bindHost();
                config.jetty.defaultPort = settings.port();
            }
        });
        app.before(FeedSecurity::headers);
        app.before("/api/*", security::authorize);
        app.before(FeedSecurity.STREAM_PATH, stream::admit);
        app.after("/api/*", security::record);
        app.get("/api/alerts", alerts::list);
        app.sse(FeedSecurity.STREAM_PATH, stream::stream);
        app.get("/api/codes/{code}", alerts::code);
        app.get("/api/codes/{code}/custody", alerts::custody);
        app.get("/api/stats", alerts::stats);
        app.get("/api/cases", cases::list);
        app.get("/api/cases/{case_id}", cases::view);
        app.post("/api/cases/{case_id}/actions", cases::act);
        app.get("/api/parties/{party_id}", cases::party);
        app.get("/api/me", FeedSecurity::me);
        app.exception(IllegalArgumentException.class, (e, ctx) -> Responses.error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
        app.exception(Visibility.OutsideScope.class, (e, ctx) -> Responses.error(ctx, HttpStatus.FORBIDDEN, e.getMessage()));
    }

    /**
     * Starts the feed. Without TLS it binds only to loopback unless {@code feed.allow_plain_http}
     * says otherwise, and then it warns.
     *
     * @param warnings where the warning about plain HTTP goes
     */
    public static FeedServer start(FeedSettings settings, FeedData data, AccessTokens tokens, AuditLog audit, ActionPublisher actions,
            Verifier verifier, Consumer<String> warnings) {
        if (!settings.tls().enabled() && !loopback(settings.bindHost())) {
            if (!settings.allowPlainHttp()) {
                throw new ConfigException("feed.bind_host " + settings.bindHost()
                        + " is beyond loopback: configure feed.tls, or set feed.allow_plain_http=true to serve tokens in clear text");
            }
            warnings.accept("WARNING: the feed serves plain HTTP on " + settings.bindHost()
                    + ": tokens and case data cross the network in clear text; configure feed.tls");
        }
        FeedServer server = new FeedServer(settings, data, tokens, audit, actions, verifier);
        server.app.start();
        return server;
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    /** The status names a case filter accepts. */
    static Set<String> statuses() {
        Set<String> names = new LinkedHashSet<>();
        for (CaseStatus status : CaseStatus.values()) {
            names.add(status.name());
        }
        return names;
    }
}
