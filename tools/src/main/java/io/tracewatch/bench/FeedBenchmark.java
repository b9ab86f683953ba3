package io.tracewatch.bench;

import io.tracewatch.config.FeedSettings;
import io.tracewatch.feed.AccessTokens;
import io.tracewatch.feed.AlertWindow;
import io.tracewatch.feed.AuditLog;
import io.tracewatch.feed.FeedData;
import io.tracewatch.feed.FeedServer;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.model.EventType;
import io.tracewatch.model.PartyType;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.Severity;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/** How fast the feed pushes alerts to many readers, and how fast its page loads with a full window. */
final class FeedBenchmark {
    private static final String TOKEN = "bench-token-0123456789abcdef";

    private FeedBenchmark() {}

    static List<Result> run(int clients, int alerts, PrintStream log) throws Exception {
        FeedData data = FeedData.empty(Math.max(alerts, 10_000));
        AlertWindow window = data.alerts();
        List<Result> results = new ArrayList<>();
        FeedSettings defaults = TracewatchConfig.defaults().feed();
        java.nio.file.Path audit = java.nio.file.Files.createTempFile("feed-bench-audit", ".jsonl");
        FeedSettings settings = new FeedSettings("127.0.0.1", 0, alerts, "", false, clients, defaults.tls(),
                new FeedSettings.AuditSettings(audit.toString(), defaults.audit().maxBytes(), 1));
        FeedServer.ActionPublisher noActions = action -> {
            throw new UnsupportedOperationException("the benchmark takes no actions");
        };
        FeedServer.Verifier noVerifier = (code, by) -> java.util.concurrent.CompletableFuture.failedFuture(new UnsupportedOperationException());
        try (FeedServer server = FeedServer.start(settings, data, AccessTokens.parse(List.of("bench " + TOKEN + " read *"), "bench"),
                new AuditLog(settings.audit()), noActions, noVerifier, log::println)) {
            String base = "http://127.0.0.1:" + server.port();
            log.printf("  feed: %d event-stream readers, %,d alerts...%n", clients, alerts);
            results.add(stream(base, window, clients, alerts));
            log.println("  feed: page load with a full window...");
            results.add(pageData(base, window));
        }
        return results;
    }

    private static Result stream(String base, AlertWindow window, int clients, int alerts) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        AtomicLongArray received = new AtomicLongArray(clients);
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch done = new CountDownLatch(clients);
        for (int i = 0; i < clients; i++) {
            int client = i;
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/alerts/stream?access_token=" + TOKEN))
                    .header("Accept", "text/event-stream").build();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> response.body().forEach(line -> {
                if (line.equals("event: ready")) {
                    ready.countDown();
                } else if (line.equals("event: raised") && received.incrementAndGet(client) == alerts) {
                    done.countDown();
                }
            }));
        }
        if (!ready.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("event-stream readers did not connect");
        }
        long started = System.nanoTime();
        for (int i = 0; i < alerts; i++) {
            window.apply(alert(i));
        }
        boolean all = done.await(120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - started) / 1e9;
        long delivered = 0;
        for (int i = 0; i < clients; i++) {
            delivered += received.get(i);
        }
        return Result.of("feed event stream", clients + " readers", alerts, seconds)
                .with("deliveries_per_second", delivered / seconds)
                .with("every_reader_got_every_alert", all);
    }

    /** What the page fetches when it opens (the newest 500 and the stats), and the whole window as one page. */
    private static Result pageData(String base, AlertWindow window) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long started = System.nanoTime();
        long bytes = get(http, base + "/") + get(http, base + "/app.js") + get(http, base + "/api/alerts?limit=500")
                + get(http, base + "/api/stats");
        double open = (System.nanoTime() - started) / 1e9;
        long fullStart = System.nanoTime();
        long full = get(http, base + "/api/alerts?limit=10000");
        double fullSeconds = (System.nanoTime() - fullStart) / 1e9;
        int size = window.page(a -> true, 0, 0).total();
        return Result.of("feed page data", String.format("%,d alerts in the window", size), size, open)
                .with("open_ms", open * 1000).with("open_bytes", bytes)
                .with("all_10k_ms", fullSeconds * 1000).with("all_10k_bytes", full);
    }

    private static long get(HttpClient http, String url) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode());
        }
        return response.body().length;
    }

    private static Alert alert(int i) {
        Instant time = Instant.parse("2026-03-01T00:00:00Z").plusSeconds(i * 37L);
        String code = String.format("8612345%013d", i);
        ScanEvent trigger = ScanEvent.newBuilder().setEventId("bench-" + i).setCode(code).setEventType(EventType.SELL)
                .setEventTime(time).setEventTimeOffsetS(28800).setPartyId("PH-120105-0027").setPartyType(PartyType.PHARMACY)
                .setRegion("120105").setLat(39.16).setLon(117.198).build();
        return Alert.newBuilder().setStatus(AlertStatus.RAISED).setAlertId("bench-alert-" + i).setRule("DUPLICATE_SALE")
                .setRuleVersion("dup-1").setSeverity(Severity.HIGH).setCode(code).setTriggerEventId(trigger.getEventId())
                .setEventTime(time).setEventTimeOffsetS(28800).setDetectedAt(Instant.now()).setPartyId("PH-120105-0027")
                .setRegion("120105").setEvidence(List.of(trigger))
                .setExplanation("sold at PH-120105-0027 after it was sold at PH-120101-0042").build();
    }
}
