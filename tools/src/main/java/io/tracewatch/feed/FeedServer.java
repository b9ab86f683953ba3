package io.tracewatch.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseClient;
import io.javalin.http.staticfiles.Location;
import io.tracewatch.io.codec.CaseActions;
import io.tracewatch.cases.CaseBook;
import io.tracewatch.config.FeedSettings;
import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.model.Alert;
import io.tracewatch.model.CaseAction;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.CaseStatus;
import io.tracewatch.model.Disposition;
import io.tracewatch.model.PartyRecord;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.Verification;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The regulators' feed over HTTP(S): a JSON API, a server-sent event stream and the live page, all
 * behind bearer tokens scoped to regions and roles (cases.md, "Who sees what"). A reader never sees
 * an alert or case outside its regions, in lists, streams, counts or statistics; a filter that asks
 * for one is refused; handling a case needs the {@code handle} role for its region. Every API
 * request is in the audit log under the token's name.
 */
public final class FeedServer implements AutoCloseable {
    private static final String SCOPE = "scope";
    private static final String SUBJECT = "subject";
    private static final String STREAM_PATH = "/api/alerts/stream";
    private static final int DEFAULT_PAGE = 100;
    private static final int MAX_PAGE = 10_000;
    /** Records a reader may fall behind by before it is disconnected. */
    private static final int READER_QUEUE = 20_000;
    private static final long VERIFY_TIMEOUT_SECONDS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** No inline script or style, nothing from elsewhere, never framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** Where case actions taken in the feed go: the case-actions topic. */
    public interface ActionPublisher {
        void publish(CaseAction action) throws Exception;
    }

    /** Asks the detector about a code: a verification request and its answer. */
    public interface Verifier {
        java.util.concurrent.CompletableFuture<Verification> verify(String code, String requestedBy);
    }

    private final Javalin app;
    private final FeedData data;
    private final AccessTokens tokens;
    private final AuditLog audit;
    private final ActionPublisher actions;
    private final Verifier verifier;
    private final int maxStreams;
    private final Map<String, AtomicInteger> streams = new ConcurrentHashMap<>();

    private FeedServer(FeedSettings settings, FeedData data, AccessTokens tokens, AuditLog audit, ActionPublisher actions, Verifier verifier) {
        this.data = data;
        this.tokens = tokens;
        this.audit = audit;
        this.actions = actions;
        this.verifier = verifier;
        this.maxStreams = settings.maxStreamsPerToken();
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
        app.before(FeedServer::securityHeaders);
        app.before("/api/*", this::authorize);
        app.before(STREAM_PATH, this::admitStream);
        app.after("/api/*", this::recordAccess);
        app.get("/api/alerts", this::alerts);
        app.get("/api/codes/{code}", this::code);
        app.get("/api/codes/{code}/custody", this::custody);
        app.get("/api/stats", this::stats);
        app.get("/api/cases", this::cases);
        app.get("/api/cases/{case_id}", this::caseView);
        app.post("/api/cases/{case_id}/actions", this::act);
        app.get("/api/parties/{party_id}", this::party);
        app.get("/api/me", this::me);
        app.sse(STREAM_PATH, this::stream);
        app.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
        app.exception(OutsideScope.class, (e, ctx) -> error(ctx, HttpStatus.FORBIDDEN, e.getMessage()));
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
                throw new io.tracewatch.settings.ConfigException("feed.bind_host " + settings.bindHost()
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
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    public int port() {
        return app.port();
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        if (ctx.req().isSecure()) {
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
        if (ctx.path().startsWith("/api/")) {
            ctx.header("Cache-Control", "no-store");
        }
    }

    /**
     * A token comes as "Authorization: Bearer …"; only the event stream, which EventSource opens
     * without headers, also takes it as access_token, and nowhere else would a token in a URL be
     * accepted (URLs end up in logs and histories).
     */
    private void authorize(Context ctx) {
        String header = ctx.header("Authorization");
        String token = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : null;
        if (token == null && ctx.path().equals(STREAM_PATH)) {
            token = ctx.queryParam("access_token");
        }
        Optional<AccessTokens.Scope> scope = tokens.scopeOf(token);
        if (scope.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer");
            boolean inUrl = token == null && ctx.queryParam("access_token") != null;
            error(ctx, HttpStatus.UNAUTHORIZED, inUrl ? "send the token in an Authorization header; a token in the URL is accepted only by "
                    + STREAM_PATH : token == null ? "a bearer token is required" : "unknown token");
            ctx.skipRemainingHandlers();
            return;
        }
        ctx.attribute(SCOPE, scope.get());
    }

    /** The stream answers only EventSource clients, within the token's regions and its share of streams. */
    private void admitStream(Context ctx) {
        if (ctx.attribute(SCOPE) == null) {
            return;
        }
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            error(ctx, HttpStatus.NOT_ACCEPTABLE, "this is a server-sent event stream: ask for it with 'Accept: text/event-stream'");
            ctx.skipRemainingHandlers();
            return;
        }
        try {
            visible(ctx, AlertFilter.from(ctx::queryParam));
        } catch (OutsideScope | IllegalArgumentException e) {
            error(ctx, e instanceof OutsideScope ? HttpStatus.FORBIDDEN : HttpStatus.BAD_REQUEST, e.getMessage());
            ctx.skipRemainingHandlers();
            return;
        }
        AtomicInteger open = streams.computeIfAbsent(scope(ctx).name(), n -> new AtomicInteger());
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            error(ctx, HttpStatus.TOO_MANY_REQUESTS, "this token already holds " + maxStreams + " open event streams");
            ctx.skipRemainingHandlers();
        }
    }

    private void recordAccess(Context ctx) {
        AccessTokens.Scope scope = ctx.attribute(SCOPE);
        Object subject = ctx.attribute(SUBJECT);
        audit.record(scope == null ? "-" : scope.name(), ctx.method().name(), ctx.path(), subject == null ? null : subject.toString(),
                ctx.statusCode());
    }

    private static AccessTokens.Scope scope(Context ctx) {
        return ctx.attribute(SCOPE);
    }

    /** Whether an alert is visible to a scope: the region of its trigger or of any event of its evidence is covered. */
    static boolean visible(AccessTokens.Scope scope, Alert alert) {
        if (scope.covers(alert.getRegion())) {
            return true;
        }
        for (ScanEvent event : alert.getEvidence()) {
            if (scope.covers(event.getRegion())) {
                return true;
            }
        }
        return false;
    }

    /** Whether a case is visible: one of its alerts is, which is its regions. */
    static boolean visible(AccessTokens.Scope scope, CaseRecord record) {
        return scope.covers(record.getRegion()) || scope.coversAny(record.getRegions());
    }

    /** What this reader may see under this filter; refuses a region filter outside the reader's regions. */
    private static Predicate<Alert> visible(Context ctx, AlertFilter filter) {
        AccessTokens.Scope scope = scope(ctx);
        if (filter.regionPrefix() != null && !scope.coversPrefix(filter.regionPrefix())) {
            throw new OutsideScope(filter.regionPrefix());
        }
        return alert -> visible(scope, alert) && filter.matches(alert);
    }

    private static final class OutsideScope extends RuntimeException {
        OutsideScope(String region) {
            super("region " + region + " is outside this token's regions");
        }
    }

    private void me(Context ctx) throws JsonProcessingException {
        AccessTokens.Scope scope = scope(ctx);
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("name", scope.name());
        me.put("roles", scope.roles());
        me.put("regions", scope.everyRegion() ? List.of("*") : scope.regionPrefixes());
        ctx.contentType("application/json").result(JSON.writeValueAsString(me));
    }

    private void alerts(Context ctx) {
        Predicate<Alert> visible = visible(ctx, AlertFilter.from(ctx::queryParam));
        int offset = number(ctx, "offset", 0, Integer.MAX_VALUE);
        int limit = number(ctx, "limit", DEFAULT_PAGE, MAX_PAGE);
        AlertWindow.Page page = data.alerts().page(visible, offset, limit);
        ctx.contentType("application/json").result("{\"total\":" + page.total() + ",\"offset\":" + offset + ",\"limit\":" + limit
                + ",\"alerts\":" + array(page.alerts()) + "}");
    }

    private void code(Context ctx) {
        String code = ctx.pathParam("code");
        ctx.attribute(SUBJECT, code);
        List<Alert> alerts = data.alerts().ofCode(code, alert -> visible(scope(ctx), alert));
        if (alerts.isEmpty()) {
            error(ctx, HttpStatus.NOT_FOUND, "no alerts of this code in the feed's window");
            return;
        }
        ctx.contentType("application/json").result("{\"code\":" + quoted(code) + ",\"alerts\":" + array(alerts)
                + ",\"parties\":" + parties(alerts.stream().flatMap(a -> a.getEvidence().stream()).toList()) + "}");
    }

    /**
     * The code's custody chain as the detector holds it, asked for with a verification request;
     * only for a reader one of whose regions the code involves.
     */
    private void custody(Context ctx) throws Exception {
        String code = ctx.pathParam("code");
        ctx.attribute(SUBJECT, code);
        Verification answer;
        try {
            answer = verifier.verify(code, "feed:" + scope(ctx).name()).get(VERIFY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            error(ctx, HttpStatus.GATEWAY_TIMEOUT, "the detector did not answer within " + VERIFY_TIMEOUT_SECONDS + " s");
            return;
        }
        boolean involved = answer.getCustody().stream().anyMatch(c -> scope(ctx).covers(c.getRegion()));
        if (!answer.getKnown() || !involved) {
            error(ctx, HttpStatus.NOT_FOUND, "no custody of this code in this token's regions");
            return;
        }
        ctx.contentType("application/json").result(RecordJson.encode(answer));
    }

    private void stats(Context ctx) throws JsonProcessingException {
        Map<String, Object> stats = data.alerts().stats(alert -> visible(scope(ctx), alert));
        stats.put("open_cases", data.cases().matching(c -> CaseBoard.open(c) && visible(scope(ctx), c)).size());
        stats.put("kafka_connected", data.connected().getAsBoolean());
        ctx.contentType("application/json").result(JSON.writeValueAsString(stats));
    }

    private void cases(Context ctx) {
        CaseFilter filter = CaseFilter.from(ctx::queryParam);
        AccessTokens.Scope scope = scope(ctx);
        if (filter.regionPrefix() != null && !scope.coversPrefix(filter.regionPrefix())) {
            throw new OutsideScope(filter.regionPrefix());
        }
        int offset = number(ctx, "offset", 0, Integer.MAX_VALUE);
        int limit = number(ctx, "limit", DEFAULT_PAGE, MAX_PAGE);
        List<CaseRecord> matching = data.cases().matching(c -> visible(scope, c) && filter.matches(c));
        List<CaseRecord> page = matching.subList(Math.min(offset, matching.size()), Math.min(matching.size(), offset + limit));
        ctx.contentType("application/json").result("{\"total\":" + matching.size() + ",\"offset\":" + offset + ",\"limit\":" + limit
                + ",\"cases\":" + page.stream().map(RecordJson::encode).collect(Collectors.joining(",", "[", "]")) + "}");
    }

    /** One case whole: the record, its alerts with their evidence, the leads sent for it, and what the register says of its parties. */
    private void caseView(Context ctx) {
        CaseRecord record = visibleCase(ctx);
        if (record == null) {
            return;
        }
        List<Alert> alerts = new ArrayList<>();
        record.getAlerts().forEach(a -> data.alerts().find(a.getAlertId()).ifPresent(alerts::add));
        List<ScanEvent> evidence = alerts.stream().flatMap(a -> a.getEvidence().stream()).toList();
        ctx.contentType("application/json").result("{\"case\":" + RecordJson.encode(record)
                + ",\"alerts\":" + array(alerts)
                + ",\"leads\":" + data.leads().ofCase(record.getCaseId()).stream().map(RecordJson::encode).collect(Collectors.joining(",", "[", "]"))
                + ",\"parties\":" + parties(evidence) + "}");
    }

    private CaseRecord visibleCase(Context ctx) {
        String caseId = ctx.pathParam("case_id");
        ctx.attribute(SUBJECT, caseId);
        CaseRecord record = data.cases().get(caseId);
        if (record == null || !visible(scope(ctx), record)) {
            error(ctx, HttpStatus.NOT_FOUND, "no case " + caseId + " in this token's regions");
            return null;
        }
        return record;
    }

    /**
     * A handling action (cases.md, "Handling"): needs the handle role for the case's region; one
     * the case's status does not allow is refused here with the reason, as the job would refuse it.
     * An accepted one goes to the case-actions topic, with the token's name as its actor.
     */
    private void act(Context ctx) throws Exception {
        CaseRecord record = visibleCase(ctx);
        if (record == null) {
            return;
        }
        AccessTokens.Scope scope = scope(ctx);
        if (!scope.may(AccessTokens.HANDLE) || !scope.covers(record.getRegion())) {
            error(ctx, HttpStatus.FORBIDDEN, "handling this case needs the handle role for region " + record.getRegion());
            return;
        }
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body must be a JSON object {action, disposition?, note?}");
        }
        if (body == null || !body.isObject() || !body.path("action").isTextual()) {
            throw new IllegalArgumentException("the body must be a JSON object {action, disposition?, note?}");
        }
        String action = body.get("action").asText();
        if (!CaseActions.ACTIONS.contains(action)) {
            throw new IllegalArgumentException("unknown action " + action + ": expected INVESTIGATE, CLOSE or REOPEN");
        }
        Disposition disposition = null;
        if (body.hasNonNull("disposition")) {
            try {
                disposition = Disposition.valueOf(body.get("disposition").asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("disposition must be CONFIRMED, FALSE_ALARM, PROCEDURAL_ERROR or REFERRED");
            }
        }
        String note = body.hasNonNull("note") ? body.get("note").asText() : null;
        if (note != null && note.length() > 1024) {
            throw new IllegalArgumentException("a note has at most 1,024 characters");
        }
        CaseAction request = CaseAction.newBuilder()
                .setCaseId(record.getCaseId())
                .setAction(action)
                .setDisposition(disposition)
                .setNote(note)
                .setActor(scope.name())
                .setAt(Instant.now())
                .build();
        String refusal = CaseBook.refusal(record.getStatus(), request);
        if (refusal != null) {
            error(ctx, HttpStatus.CONFLICT, refusal);
            return;
        }
        actions.publish(request);
        ctx.status(HttpStatus.ACCEPTED).contentType("application/json").result(RecordJson.encode(request));
    }

    /** A party: the register's applicable version, its grade as its latest case gives it, and its cases by status. */
    private void party(Context ctx) throws JsonProcessingException {
        String party = ctx.pathParam("party_id");
        ctx.attribute(SUBJECT, party);
        AccessTokens.Scope scope = scope(ctx);
        CaseRecord latest = data.cases().latestOfParty(party, c -> visible(scope, c));
        PartyRecord registered = data.parties().at(party, Instant.now());
        if (latest == null && (registered == null || !scope.covers(registered.getRegion()))) {
            error(ctx, HttpStatus.NOT_FOUND, "no party " + party + " in this token's regions");
            return;
        }
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("party_id", party);
        profile.put("grade", latest == null ? null : latest.getGrade());
        profile.put("grade_reason", latest == null ? null : latest.getGradeReason());
        profile.put("cases", data.cases().statusCounts(party, c -> visible(scope, c)));
        profile.put("register", registered == null ? null : JSON.readTree(RecordJson.encode(registered)));
        ctx.contentType("application/json").result(JSON.writeValueAsString(profile));
    }

    /** What the register says of the parties some events name (as party or counterparty), by party_id. */
    private String parties(List<ScanEvent> events) {
        Set<String> ids = new LinkedHashSet<>();
        for (ScanEvent event : events) {
            ids.add(event.getPartyId());
            if (event.getCounterpartyId() != null) {
                ids.add(event.getCounterpartyId());
            }
        }
        Instant now = Instant.now();
        return ids.stream()
                .map(id -> data.parties().at(id, now))
                .filter(java.util.Objects::nonNull)
                .map(p -> quoted(p.getPartyId()) + ":" + RecordJson.encode(p))
                .collect(Collectors.joining(",", "{", "}"));
    }

    private void stream(SseClient client) {
        Context ctx = client.ctx();
        AccessTokens.Scope scope = scope(ctx);
        Predicate<Alert> visibleAlert = visible(ctx, AlertFilter.from(ctx::queryParam));
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
            if (visible(scope, record)) {
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

    /** The status names a case filter accepts. */
    static Set<String> statuses() {
        Set<String> names = new LinkedHashSet<>();
        for (CaseStatus status : CaseStatus.values()) {
            names.add(status.name());
        }
        return names;
    }
}
