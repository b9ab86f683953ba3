package io.tracewatch.feed;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseClient;
import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.model.Alert;
import io.tracewatch.model.CaseRecord;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * {@code GET /api/alerts/stream}: alerts and cases as server-sent events, as they arrive, within the
 * token's regions and its share of open streams ({@code feed.max_streams_per_token}).
 */
final class AlertStream {
    /** Records a reader may fall behind by before it is disconnected. */
    private static final int READER_QUEUE = 20_000;

    private final FeedData data;
    private final int maxStreams;
    private final Map<String, AtomicInteger> streams = new ConcurrentHashMap<>();

    AlertStream(FeedData data, int maxStreams) {
        this.data = data;
        this.maxStreams = maxStreams;
    }

    /** The stream answers only EventSource clients, within the token's regions and its share of streams. */
    void admit(Context ctx) {
        AccessTokens.Scope scope = FeedSecurity.scope(ctx);
        if (scope == null) {
            return;
        }
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            Responses.error(ctx, HttpStatus.NOT_ACCEPTABLE, "this is a server-sent event stream: ask for it with 'Accept: text/event-stream'");
            ctx.skipRemainingHandlers();
            return;
        }
        try {
            Visibility.visible(scope, AlertFilter.from(ctx::queryParam));
        } catch (Visibility.OutsideScope | IllegalArgumentException e) {
            Responses.error(ctx, e instanceof Visibility.OutsideScope ? HttpStatus.FORBIDDEN : HttpStatus.BAD_REQUEST, e.getMessage());
            ctx.skipRemainingHandlers();
            return;
        }
        AtomicInteger open = streams.computeIfAbsent(scope.name(), n -> new AtomicInteger());
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            Responses.error(ctx, HttpStatus.TOO_MANY_REQUESTS, "this token already holds " + maxStreams + " open event streams");
            ctx.skipRemainingHandlers();
        }
    }

    void stream(SseClient client) {
        Context ctx = client.ctx();
        AccessTokens.Scope scope = FeedSecurity.scope(ctx);
        Predicate<Alert> visibleAlert = Visibility.visible(scope, AlertFilter.from(ctx::queryParam));
        // each reader gets its own sender and queue: a slow browser falls behind alone, and one that
        // falls too far behind is disconnected (EventSource reconnects and reloads), instead of
        // holding up the topic followers and every other reader
        ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(READER_QUEUE), runnable -> {
                    Thread thread = new Thread(runnable, "feed-reader");
                    thread.setDaemon(true);
                    return thread;
                });
        Consumer<Runnable> send = event -> {
            try {
                sender.execute(event);
            } catch (RejectedExecutionException e) {
                sender.shutdownNow();
                client.close();
            }
        };
        Consumer<Alert> alerts = alert -> {
            if (visibleAlert.test(alert)) {
                send.accept(() -> client.sendEvent(alert.getStatus().name().toLowerCase(), AlertJson.encode(alert), alert.getAlertId()));
            }
        };
        Consumer<CaseRecord> cases = record -> {
            if (Visibility.visible(scope, record)) {
                send.accept(() -> client.sendEvent("case", RecordJson.encode(record), record.getCaseId() + "#" + record.getVersion()));
            }
        };
        client.keepAlive();
        client.onClose(() -> {
            data.alerts().unlisten(alerts);
            data.cases().unlisten(cases);
            sender.shutdownNow();
            streams.get(scope.name()).decrementAndGet();
        });
        // through the sender too: one writer per reader, so events never interleave
        sender.execute(() -> client.sendEvent("ready", "{}"));
        data.alerts().listen(alerts);
        data.cases().listen(cases);
    }
}
