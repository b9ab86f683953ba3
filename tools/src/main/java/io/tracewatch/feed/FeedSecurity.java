package io.tracewatch.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who is asking, and what the feed tells the browser to allow: every API request needs a bearer
 * token, is answered with the token's scope, and is in the audit log under the token's name.
 */
final class FeedSecurity {
    /** The one path that takes a token in its URL: EventSource opens streams without headers. */
    static final String STREAM_PATH = "/api/alerts/stream";
    /** No inline script or style, nothing from elsewhere, never framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final String SCOPE = "scope";
    private static final String SUBJECT = "subject";

    private final AccessTokens tokens;
    private final AuditLog audit;

    FeedSecurity(AccessTokens tokens, AuditLog audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    static void headers(Context ctx) {
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
    void authorize(Context ctx) {
        String header = ctx.header("Authorization");
        String token = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : null;
        if (token == null && ctx.path().equals(STREAM_PATH)) {
            token = ctx.queryParam("access_token");
        }
        Optional<AccessTokens.Scope> scope = tokens.scopeOf(token);
        if (scope.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer");
            boolean inUrl = token == null && ctx.queryParam("access_token") != null;
            Responses.error(ctx, HttpStatus.UNAUTHORIZED, inUrl ? "send the token in an Authorization header; a token in the URL is accepted only by "
                    + STREAM_PATH : token == null ? "a bearer token is required" : "unknown token");
            ctx.skipRemainingHandlers();
            return;
        }
        ctx.attribute(SCOPE, scope.get());
    }

    /** Writes the request to the audit log, under the token's name, with what it was about. */
    void record(Context ctx) {
        AccessTokens.Scope scope = ctx.attribute(SCOPE);
        Object subject = ctx.attribute(SUBJECT);
        audit.record(scope == null ? "-" : scope.name(), ctx.method().name(), ctx.path(), subject == null ? null : subject.toString(),
                ctx.statusCode());
    }

    /** The scope of the request's token; null before {@link #authorize} let it in. */
    static AccessTokens.Scope scope(Context ctx) {
        return ctx.attribute(SCOPE);
    }

    /** What the request is about (a code, case or party), for the audit log. */
    static void subject(Context ctx, String subject) {
        ctx.attribute(SUBJECT, subject);
    }

    /** {@code GET /api/me}: the token's name, roles and regions. */
    static void me(Context ctx) throws JsonProcessingException {
        AccessTokens.Scope scope = scope(ctx);
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("name", scope.name());
        me.put("roles", scope.roles());
        me.put("regions", scope.everyRegion() ? List.of("*") : scope.regionPrefixes());
        Responses.json(ctx, me);
    }
}
