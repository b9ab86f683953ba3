package io.tracewatch.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.model.Alert;
import io.tracewatch.model.Verification;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** The alert routes: the alert list, a code's alerts and custody chain, and the statistics. */
final class AlertRoutes {
    private static final long VERIFY_TIMEOUT_SECONDS = 10;

    private final FeedData data;
    private final FeedServer.Verifier verifier;

    AlertRoutes(FeedData data, FeedServer.Verifier verifier) {
        this.data = data;
        this.verifier = verifier;
    }

    /** {@code GET /api/alerts}: a page of the visible alerts under the filter. */
    void list(Context ctx) {
        Predicate<Alert> visible = Visibility.visible(FeedSecurity.scope(ctx), AlertFilter.from(ctx::queryParam));
        int offset = Responses.number(ctx, "offset", 0, Integer.MAX_VALUE);
        int limit = Responses.number(ctx, "limit", Responses.DEFAULT_PAGE, Responses.MAX_PAGE);
        AlertWindow.Page page = data.alerts().page(visible, offset, limit);
        Responses.json(ctx, "{\"total\":" + page.total() + ",\"offset\":" + offset + ",\"limit\":" + limit
                + ",\"alerts\":" + Responses.array(page.alerts()) + "}");
    }

    /** {@code GET /api/codes/{code}}: the code's visible alerts and what the register says of their parties. */
    void code(Context ctx) {
        String code = ctx.pathParam("code");
        FeedSecurity.subject(ctx, code);
        List<Alert> alerts = data.alerts().ofCode(code, alert -> Visibility.visible(FeedSecurity.scope(ctx), alert));
        if (alerts.isEmpty()) {
            Responses.error(ctx, HttpStatus.NOT_FOUND, "no alerts of this code in the feed's window");
            return;
        }
        Responses.json(ctx, "{\"code\":" + Responses.quoted(code) + ",\"alerts\":" + Responses.array(alerts)
                + ",\"parties\":" + Responses.parties(data.parties(), alerts.stream().flatMap(a -> a.getEvidence().stream()).toList()) + "}");
    }

    /**
     * {@code GET /api/codes/{code}/custody}: the code's custody chain as the detector holds it, asked
     * for with a verification request; only for a reader one of whose regions the code involves.
     */
    void custody(Context ctx) throws Exception {
        String code = ctx.pathParam("code");
        FeedSecurity.subject(ctx, code);
        AccessTokens.Scope scope = FeedSecurity.scope(ctx);
        Verification answer;
        try {
            answer = verifier.verify(code, "feed:" + scope.name()).get(VERIFY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            Responses.error(ctx, HttpStatus.GATEWAY_TIMEOUT, "the detector did not answer within " + VERIFY_TIMEOUT_SECONDS + " s");
            return;
        }
        boolean involved = answer.getCustody().stream().anyMatch(c -> scope.covers(c.getRegion()));
        if (!answer.getKnown() || !involved) {
            Responses.error(ctx, HttpStatus.NOT_FOUND, "no custody of this code in this token's regions");
            return;
        }
        Responses.json(ctx, RecordJson.encode(answer));
    }

    /** {@code GET /api/stats}: counts of the visible alerts and open cases. */
    void stats(Context ctx) throws JsonProcessingException {
        AccessTokens.Scope scope = FeedSecurity.scope(ctx);
        Map<String, Object> stats = data.alerts().stats(alert -> Visibility.visible(scope, alert));
        stats.put("open_cases", data.cases().matching(c -> CaseBoard.open(c) && Visibility.visible(scope, c)).size());
        stats.put("kafka_connected", data.connected().getAsBoolean());
        Responses.json(ctx, stats);
    }
}
