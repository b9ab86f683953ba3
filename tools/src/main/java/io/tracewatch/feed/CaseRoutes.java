package io.tracewatch.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tracewatch.cases.CaseBook;
import io.tracewatch.io.codec.CaseActions;
import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.model.Alert;
import io.tracewatch.model.CaseAction;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.PartyRecord;
import io.tracewatch.model.ScanEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The case routes: the case list, one case whole, its handling actions, and a party's profile. */
final class CaseRoutes {
    private final FeedData data;
    private final FeedServer.ActionPublisher actions;

    CaseRoutes(FeedData data, FeedServer.ActionPublisher actions) {
        this.data = data;
        this.actions = actions;
    }

    /** {@code GET /api/cases}: a page of the visible cases under the filter, in work order. */
    void list(Context ctx) {
        CaseFilter filter = CaseFilter.from(ctx::queryParam);
        AccessTokens.Scope scope = FeedSecurity.scope(ctx);
        Visibility.checkRegion(scope, filter.regionPrefix());
        int offset = Responses.number(ctx, "offset", 0, Integer.MAX_VALUE);
        int limit = Responses.number(ctx, "limit", Responses.DEFAULT_PAGE, Responses.MAX_PAGE);
        List<CaseRecord> matching = data.cases().matching(c -> Visibility.visible(scope, c) && filter.matches(c));
        List<CaseRecord> page = matching.subList(Math.min(offset, matching.size()), Math.min(matching.size(), offset + limit));
        Responses.json(ctx, "{\"total\":" + matching.size() + ",\"offset\":" + offset + ",\"limit\":" + limit
                + ",\"cases\":" + page.stream().map(RecordJson::encode).collect(Collectors.joining(",", "[", "]")) + "}");
    }

    /**
     * {@code GET /api/cases/{id}}: the record, its alerts with their evidence, the leads sent for it,
     * what the register says of its parties, and whether a register is loaded at all.
     */
    void view(Context ctx) {
        CaseRecord record = visibleCase(ctx);
        if (record == null) {
            return;
        }
        List<Alert> alerts = new ArrayList<>();
        record.getAlerts().forEach(a -> data.alerts().find(a.getAlertId()).ifPresent(alerts::add));
        List<ScanEvent> evidence = alerts.stream().flatMap(a -> a.getEvidence().stream()).toList();
        Responses.json(ctx, "{\"case\":" + RecordJson.encode(record)
                + ",\"alerts\":" + Responses.array(alerts)
                + ",\"leads\":" + data.leads().ofCase(record.getCaseId()).stream().map(RecordJson::encode).collect(Collectors.joining(",", "[", "]"))
                + ",\"parties\":" + Responses.parties(data.parties(), evidence)
                // without a register, a party missing from "parties" is unknown, not unlicensed
                + ",\"register_loaded\":" + (data.parties().size() > 0) + "}");
    }

    private CaseRecord visibleCase(Context ctx) {
        String caseId = ctx.pathParam("case_id");
        FeedSecurity.subject(ctx, caseId);
        CaseRecord record = data.cases().get(caseId);
        if (record == null || !Visibility.visible(FeedSecurity.scope(ctx), record)) {
            Responses.error(ctx, HttpStatus.NOT_FOUND, "no case " + caseId + " in this token's regions");
            return null;
        }
        return record;
    }

    /**
     * {@code POST /api/cases/{id}/actions}, a handling action (cases.md, "Handling"): needs the handle
     * role for the case's region; the body is checked as the job checks an action
     * ({@link CaseActions#request}), and one the case's status does not allow is refused here with
     * the reason, as the job would refuse it. An accepted one goes to the case-actions topic, with
     * the token's name as its actor.
     */
    void act(Context ctx) throws Exception {
        CaseRecord record = visibleCase(ctx);
        if (record == null) {
            return;
        }
        AccessTokens.Scope scope = FeedSecurity.scope(ctx);
        if (!scope.may(AccessTokens.HANDLE) || !scope.covers(record.getRegion())) {
            Responses.error(ctx, HttpStatus.FORBIDDEN, "handling this case needs the handle role for region " + record.getRegion());
            return;
        }
        CaseAction request = CaseActions.request(ctx.body(), record.getCaseId(), scope.name(), Instant.now());
        String refusal = CaseBook.refusal(record.getStatus(), request);
        if (refusal != null) {
            Responses.error(ctx, HttpStatus.CONFLICT, refusal);
            return;
        }
        actions.publish(request);
        ctx.status(HttpStatus.ACCEPTED);
        Responses.json(ctx, RecordJson.encode(request));
    }

    /** {@code GET /api/parties/{id}}: the register's applicable version, its grade as its latest case gives it, and its cases by status. */
    void party(Context ctx) throws JsonProcessingException {
        String party = ctx.pathParam("party_id");
        FeedSecurity.subject(ctx, party);
        AccessTokens.Scope scope = FeedSecurity.scope(ctx);
        CaseRecord latest = data.cases().latestOfParty(party, c -> Visibility.visible(scope, c));
        PartyRecord registered = data.parties().at(party, Instant.now());
        if (latest == null && (registered == null || !scope.covers(registered.getRegion()))) {
            Responses.error(ctx, HttpStatus.NOT_FOUND, "no party " + party + " in this token's regions");
            return;
        }
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("party_id", party);
        profile.put("grade", latest == null ? null : latest.getGrade());
        profile.put("grade_reason", latest == null ? null : latest.getGradeReason());
        profile.put("cases", data.cases().statusCounts(party, c -> Visibility.visible(scope, c)));
        profile.put("register", registered == null ? null : Responses.JSON.readTree(RecordJson.encode(registered)));
        Responses.json(ctx, profile);
    }
}
