package io.tracewatch.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.http.sse.SseClient;
import io.tracewatch.config.FeedSettings;
import io.tracewatch.io.AlertJson;
import io.tracewatch.model.Alert;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The regulators' feed over HTTP: a JSON API, a server-sent event stream and the live page, all
 * behind bearer tokens scoped to regions. A reader never sees an alert outside its regions, and a
 * filter that asks for one is refused.
 */
public final class FeedServer implements AutoCloseable {
    private static final String SCOPE = "scope";
    private static final int DEFAULT_PAGE = 100;
    private static final int MAX_PAGE = 10_000;
    /** Alerts a reader may fall behind by before it is disconnected. */
    private static final int READER_QUEUE = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Javalin app;
    private final AlertWindow window;
    private final AccessTokens tokens;

    private FeedServer(AlertWindow window, AccessTokens tokens) {
        this.window = window;
        this.tokens = tokens;
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.staticFiles.add("/io/tracewatch/feed/web", Location.CLASSPATH);
        });
        app.before("/api/*", this::authorize);
        app.get("/api/alerts", this::alerts);
        app.get("/api/codes/{code}", this::code);
        app.get("/api/stats", this::stats);
        app.sse("/api/alerts/stream", this::stream);
        app.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
    }

    public static FeedServer start(FeedSettings settings, AccessTokens tokens, AlertWindow window) {
        FeedServer server = new FeedServer(window, tokens);
        server.app.start(settings.bindHost(), settings.port());
        return server;
    }

    public int port() {
        return app.port();
    }

    /** Tokens come as "Authorization: Bearer …", or as access_token for EventSource, which cannot set headers. */
    private void authorize(Context ctx) {
        String header = ctx.header("Authorization");
        String token = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : ctx.queryParam("access_token");
        Optional<AccessTokens.Scope> scope = tokens.scopeOf(token);
        if (scope.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer");
            error(ctx, HttpStatus.UNAUTHORIZED, token == null ? "a bearer token is required" : "unknown token");
            ctx.skipRemainingHandlers();
            return;
        }
        ctx.attribute(SCOPE, scope.get());
    }

    private static AccessTokens.Scope scope(Context ctx) {
        return ctx.attribute(SCOPE);
    }

    /** What this reader may see under this filter; refuses a region filter outside the reader's regions. */
    private static Predicate<Alert> visible(Context ctx, AlertFilter filter) {
        AccessTokens.Scope scope = scope(ctx);
        if (filter.regionPrefix() != null && !scope.coversPrefix(filter.regionPrefix())) {
            throw new OutsideScope(filter.regionPrefix());
        }
        return alert -> scope.covers(alert.getRegion()) && filter.matches(alert);
    }

    private static final class OutsideScope extends RuntimeException {
        OutsideScope(String region) {
            super("region " + region + " is outside this token's regions");
        }
    }

    private void alerts(Context ctx) {
        AlertFilter filter = AlertFilter.from(ctx::queryParam);
        Predicate<Alert> visible;
        try {
            visible = visible(ctx, filter);
        } catch (OutsideScope e) {
            error(ctx, HttpStatus.FORBIDDEN, e.getMessage());
            return;
        }
        int offset = number(ctx, "offset", 0, Integer.MAX_VALUE);
        int limit = number(ctx, "limit", DEFAULT_PAGE, MAX_PAGE);
        AlertWindow.Page page = window.page(visible, offset, limit);
        ctx.contentType("application/json").result("{\"total\":" + page.total() + ",\"offset\":" + offset + ",\"limit\":" + limit
                + ",\"alerts\":" + array(page.alerts()) + "}");
    }

    private void code(Context ctx) {
        String code = ctx.pathParam("code");
        List<Alert> alerts = window.ofCode(code, alert -> scope(ctx).covers(alert.getRegion()));
        if (alerts.isEmpty()) {
            error(ctx, HttpStatus.NOT_FOUND, "no alerts of this code in the feed's window");
            return;
        }
        ctx.contentType("application/json").result("{\"code\":" + quoted(code) + ",\"alerts\":" + array(alerts) + "}");
    }

    private void stats(Context ctx) throws JsonProcessingException {
        Map<String, Object> stats = window.stats(alert -> scope(ctx).covers(alert.getRegion()));
        ctx.contentType("application/json").result(JSON.writeValueAsString(stats));
    }

    private void stream(SseClient client) {
        Context ctx = client.ctx();
        Predicate<Alert> visible;
        try {
            visible = visible(ctx, AlertFilter.from(ctx::queryParam));
        } catch (OutsideScope | IllegalArgumentException e) {
            client.sendEvent("error", e.getMessage());
            client.close();
            return;
        }
        // each reader gets its own sender and queue: a slow browser falls behind alone, and one that
        // falls too far behind is disconnected (EventSource reconnects and reloads), instead of
        // holding up the topic follower and every other reader
        ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(READER_QUEUE), runnable -> {
                    Thread thread = new Thread(runnable, "feed-reader");
                    thread.setDaemon(true);
                    return thread;
                });
        Consumer<Alert> listener = alert -> {
            if (visible.test(alert)) {
                try {
                    sender.execute(() -> client.sendEvent(alert.getStatus().name().toLowerCase(), AlertJson.encode(alert), alert.getAlertId()));
                } catch (RejectedExecutionException e) {
                    sender.shutdownNow();
                    client.close();
                }
            }
        };
        client.keepAlive();
        client.onClose(() -> {
            window.unlisten(listener);
            sender.shutdownNow();
        });
        // through the sender too: one writer per reader, so events never interleave
        sender.execute(() -> client.sendEvent("ready", "{}"));
        window.listen(listener);
    }

    private static int number(Context ctx, String name, int fallback, int max) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 0 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number from 0 to " + max);
    }

    private static String array(List<Alert> alerts) {
        return alerts.stream().map(AlertJson::encode).collect(Collectors.joining(",", "[", "]"));
    }

    private static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void error(Context ctx, HttpStatus status, String message) {
        ctx.status(status).contentType("application/json").result("{\"error\":" + quoted(message) + "}");
    }

    @Override
    public void close() {
        app.stop();
    }
}
