package io.tracewatch.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewatch.model.Alert;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.CaseStatus;
import io.tracewatch.model.Severity;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The feed's HTTP API against a real broker: filters, paging, retractions, region scoping, 401 and 403. */
class FeedApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static FeedFixture feed;
    private static Alert dupInDistrict;
    private static Alert routeElsewhere;

    @BeforeAll
    static void start() throws Exception {
        feed = new FeedFixture();
        dupInDistrict = FeedFixture.alert("a1", "DUPLICATE_SALE", Severity.HIGH, "86123450000000000101", "PH-120101-0009", "120101", "03-02 10:00");
        dupInDistrict.setCause("CLONED_CODE");
        routeElsewhere = FeedFixture.alert("a2", "IMPOSSIBLE_ROUTE", Severity.MEDIUM, "86123450000000000102", "PH-120105-0002", "120105", "03-03 11:00");
        feed.publish(dupInDistrict);
        feed.publish(routeElsewhere);
        // a route in 120105 whose evidence involves 120101: both districts may see it
        Alert crossing = FeedFixture.alert("x1", "UNLICENSED_CHANNEL", Severity.LOW, "86123450000000000109", "PH-120105-0008", "120105", "03-06 10:00");
        crossing.getEvidence().get(0).setRegion("120101");
        feed.publish(crossing);
        for (int i = 0; i < 30; i++) {
            feed.publish(FeedFixture.alert("p" + i, "POST_DISPENSE_RESALE", Severity.CRITICAL, "8612345000000000020" + (i % 10),
                    "PH-120102-0003", "120102", "03-04 1" + (i % 10) + ":00"));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        feed.close();
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(feed.base() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String path, String token) throws Exception {
        HttpResponse<String> response = get(path, token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("alerts").forEach(a -> ids.add(a.path("alert_id").asText()));
        return ids;
    }

    @Test
    void withoutAValidTokenEverythingIs401AndTheTokenIsNotEchoed() throws Exception {
        assertThat(get("/api/alerts", null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = get("/api/alerts", "not-a-known-token-at-all");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain("not-a-known-token-at-all");
        assertThat(get("/api/stats", "x").statusCode()).isEqualTo(401);
        assertThat(get("/api/codes/86123450000000000101", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/alerts/stream", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/cases", null).statusCode()).isEqualTo(401);
    }

    @Test
    void theCitySeesEveryRegionAndADistrictOnlyItsOwn() throws Exception {
        assertThat(json("/api/alerts?limit=1000&to=2026-03-06T00:00:00Z", FeedFixture.CITY).path("total").asInt()).isEqualTo(32);
        JsonNode district = json("/api/alerts?limit=1000&to=2026-03-07T00:00:00Z", FeedFixture.DISTRICT);
        assertThat(ids(district)).as("its own, and one whose evidence involves it").containsExactlyInAnyOrder("a1", "x1");
        assertThat(get("/api/alerts?region=120105", FeedFixture.DISTRICT).statusCode()).isEqualTo(403);
        assertThat(get("/api/alerts?region=12", FeedFixture.DISTRICT).statusCode()).isEqualTo(403);
        assertThat(ids(json("/api/alerts?region=120101", FeedFixture.DISTRICT))).containsExactly("a1");
        assertThat(get("/api/codes/86123450000000000102", FeedFixture.DISTRICT).statusCode()).isEqualTo(404);
        assertThat(json("/api/stats", FeedFixture.DISTRICT).path("per_region").has("120102")).isFalse();
    }

    @Test
    void filtersNarrowTheList() throws Exception {
        assertThat(ids(json("/api/alerts?rule=impossible_route", FeedFixture.CITY))).containsExactly("a2");
        assertThat(ids(json("/api/alerts?severity=HIGH", FeedFixture.CITY))).containsExactly("a1");
        assertThat(ids(json("/api/alerts?party=PH-120105-0002", FeedFixture.CITY))).containsExactly("a2");
        assertThat(ids(json("/api/alerts?code=86123450000000000101", FeedFixture.CITY))).containsExactly("a1");
        assertThat(ids(json("/api/alerts?region=1201&rule=DUPLICATE_SALE", FeedFixture.CITY))).containsExactly("a1");
        assertThat(ids(json("/api/alerts?from=2026-03-03T00:00:00Z&to=2026-03-04T00:00:00Z", FeedFixture.CITY))).containsExactly("a2");
        assertThat(get("/api/alerts?from=yesterday", FeedFixture.CITY).statusCode()).isEqualTo(400);
        assertThat(get("/api/alerts?limit=-1", FeedFixture.CITY).statusCode()).isEqualTo(400);
    }

    @Test
    void pagesAreNewestFirstAndCountTheWholeMatch() throws Exception {
        JsonNode first = json("/api/alerts?rule=POST_DISPENSE_RESALE&limit=20", FeedFixture.CITY);
        JsonNode second = json("/api/alerts?rule=POST_DISPENSE_RESALE&limit=20&offset=20", FeedFixture.CITY);
        assertThat(first.path("total").asInt()).isEqualTo(30);
        assertThat(ids(first)).hasSize(20).startsWith("p29");
        assertThat(ids(second)).hasSize(10).endsWith("p0");
        assertThat(ids(first)).doesNotContainAnyElementsOf(ids(second));

        List<OffsetDateTime> times = new ArrayList<>();
        json("/api/alerts?limit=500", FeedFixture.CITY).path("alerts")
                .forEach(alert -> times.add(OffsetDateTime.parse(alert.path("event_time").asText())));
        assertThat(times).as("the latest trigger first, however late its alert came").hasSizeGreaterThan(30)
                .isSortedAccordingTo(Comparator.comparing(OffsetDateTime::toInstant).reversed());
    }

    @Test
    void aCaseShowsEveryAlertOfTheCodeWithItsEvidenceAndStatsCountPerRule() throws Exception {
        JsonNode code = json("/api/codes/86123450000000000101", FeedFixture.CITY);
        assertThat(code.path("alerts")).hasSize(1);
        JsonNode evidence = code.path("alerts").get(0).path("evidence");
        assertThat(evidence).hasSize(2);
        assertThat(evidence.get(1).path("event_id").asText()).isEqualTo("a1-2");
        JsonNode stats = json("/api/stats", FeedFixture.CITY);
        assertThat(stats.path("per_region").path("120102").path("POST_DISPENSE_RESALE").asInt()).isEqualTo(30);
        assertThat(stats.path("per_hour").toString()).contains("DUPLICATE_SALE");
    }

    @Test
    void theStreamDeliversNewAlertsAndRetractionsInTheReadersRegions() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(feed.base() + "/api/alerts/stream?access_token=" + FeedFixture.DISTRICT))
                .header("Accept", "text/event-stream").build();
        HttpResponse<java.io.InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        List<String> events = new ArrayList<>();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try {
                String line;
                String event = "";
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                        synchronized (events) {
                            events.add(event);
                        }
                    } else if (line.startsWith("data:") && line.contains("alert_id")) {
                        synchronized (events) {
                            events.add(JSON.readTree(line.substring(5)).path("alert_id").asText());
                        }
                        if (event.equals("retracted")) {
                            return;
                        }
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitEvent(events, "ready");
        Alert fresh = FeedFixture.alert("s1", "DUPLICATE_SALE", Severity.HIGH, "86123450000000000301", "PH-120101-0004", "120101", "03-05 10:00");
        Alert hidden = FeedFixture.alert("s2", "DUPLICATE_SALE", Severity.HIGH, "86123450000000000302", "PH-120105-0004", "120105", "03-05 11:00");
        feed.publish(hidden);
        feed.publish(fresh);
        feed.publish(FeedFixture.retraction(fresh));
        reading.get(20, TimeUnit.SECONDS);

        synchronized (events) {
            assertThat(events).containsSubsequence("ready", "raised", "s1", "retracted", "s1").doesNotContain("s2");
        }
        JsonNode after = json("/api/alerts?code=86123450000000000301", FeedFixture.CITY);
        assertThat(after.path("alerts").get(0).path("status").asText()).isEqualTo("RETRACTED");
        assertThat(after.path("alerts").get(0).path("evidence")).hasSize(2);
    }

    @Test
    void anAlertIsVisibleToEveryRegionItsEvidenceInvolvesWhole() throws Exception {
        JsonNode district = json("/api/alerts?code=86123450000000000109", FeedFixture.DISTRICT);
        assertThat(ids(district)).containsExactly("x1");
        assertThat(district.path("alerts").get(0).path("evidence")).hasSize(2);
    }

    @Test
    void casesAreListedInWorkOrderWithinTheReadersRegionsAndShownWhole() throws Exception {
        feed.publish(caseRecord("PH-120105-0002@2026-03", 1, CaseStatus.OPEN, Severity.MEDIUM, "120105", List.of("120105"), 1, "a2"));
        feed.publish(caseRecord("PH-120102-0003@2026-03", 1, CaseStatus.OPEN, Severity.CRITICAL, "120102", List.of("120102"), 30, "p0"));
        feed.publish(caseRecord("PH-120101-0009@2026-03", 1, CaseStatus.CLOSED, Severity.HIGH, "120101", List.of("120101", "120105"), 1, "a1"));
        List<String> city = caseIds(json("/api/cases?status=&period=2026-03&limit=100", FeedFixture.CITY));
        assertThat(city.indexOf("PH-120102-0003@2026-03")).as("critical before medium").isLessThan(city.indexOf("PH-120105-0002@2026-03"));
        assertThat(city.indexOf("PH-120105-0002@2026-03")).as("open before closed").isLessThan(city.indexOf("PH-120101-0009@2026-03"));
        assertThat(caseIds(json("/api/cases?status=OPEN_ALL", FeedFixture.CITY))).doesNotContain("PH-120101-0009@2026-03");
        assertThat(caseIds(json("/api/cases?status=CLOSED", FeedFixture.DISTRICT))).containsExactly("PH-120101-0009@2026-03");
        assertThat(caseIds(json("/api/cases?status=", FeedFixture.DISTRICT))).contains("PH-120101-0009@2026-03")
                .doesNotContain("PH-120105-0002@2026-03", "PH-120102-0003@2026-03");
        assertThat(get("/api/cases/PH-120105-0002@2026-03", FeedFixture.DISTRICT).statusCode()).isEqualTo(404);
        assertThat(get("/api/cases?status=NOPE", FeedFixture.CITY).statusCode()).isEqualTo(400);
        assertThat(get("/api/cases?region=120105", FeedFixture.DISTRICT).statusCode()).isEqualTo(403);

        JsonNode view = json("/api/cases/PH-120105-0002@2026-03", FeedFixture.CITY);
        assertThat(view.path("case").path("alert_count").asInt()).isEqualTo(1);
        assertThat(view.path("alerts").get(0).path("alert_id").asText()).isEqualTo("a2");
        assertThat(view.path("alerts").get(0).path("evidence")).hasSize(2);
        assertThat(view.path("leads").isArray()).isTrue();
        assertThat(view.path("register_loaded").isBoolean()).isTrue();
    }

    @Test
    void handlingNeedsTheHandleRoleForTheCasesRegionAndAnActionTheStatusAllows() throws Exception {
        String id = "PH-120105-0004@2026-03";
        feed.publish(caseRecord(id, 1, CaseStatus.OPEN, Severity.HIGH, "120105", List.of("120105", "120101"), 1, "a2"));
        String close = "{\"action\":\"CLOSE\",\"disposition\":\"CONFIRMED\",\"note\":\"stock seized\"}";
        assertThat(post("/api/cases/" + id + "/actions", FeedFixture.DISTRICT, close).statusCode()).as("a reader of a region involved").isEqualTo(403);
        assertThat(post("/api/cases/" + id + "/actions", FeedFixture.HANDLER, "{\"action\":\"REOPEN\"}").statusCode()).isEqualTo(409);
        assertThat(post("/api/cases/" + id + "/actions", FeedFixture.HANDLER, "{\"action\":\"CLOSE\"}").statusCode()).isEqualTo(409);
        assertThat(post("/api/cases/" + id + "/actions", FeedFixture.HANDLER, "{\"action\":\"ESCALATE\"}").statusCode()).isEqualTo(400);
        assertThat(post("/api/cases/" + id + "/actions", FeedFixture.HANDLER, "not json").statusCode()).isEqualTo(400);
        HttpResponse<String> accepted = post("/api/cases/" + id + "/actions", FeedFixture.HANDLER, close);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> sent = new io.tracewatch.testing.KafkaTopics(
                feed.kafka.bootstrapServers()).readUntil(feed.config.kafka().caseActionsTopic(), r -> !r.isEmpty(), Duration.ofSeconds(20));
        JsonNode action = JSON.readTree(sent.get(0).value());
        assertThat(action.path("case_id").asText()).isEqualTo(id);
        assertThat(action.path("actor").asText()).isEqualTo("hexi-handler");
        assertThat(action.path("disposition").asText()).isEqualTo("CONFIRMED");
    }

    @Test
    void everyResponseCarriesSecurityHeadersAndTheApiIsNeverCached() throws Exception {
        HttpResponse<String> page = get("/", null);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline"));
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        HttpResponse<String> api = get("/api/alerts", FeedFixture.CITY);
        assertThat(api.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(api.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(get("/api/alerts", null).headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.body()).doesNotContain("<script>").doesNotContain("onclick=").doesNotContain("style=");
    }

    @Test
    void aTokenInTheUrlIsAcceptedOnlyByTheEventStream() throws Exception {
        HttpResponse<String> inUrl = get("/api/alerts?access_token=" + FeedFixture.CITY, null);
        assertThat(inUrl.statusCode()).isEqualTo(401);
        assertThat(inUrl.body()).contains("Authorization header").doesNotContain(FeedFixture.CITY);
        HttpResponse<String> plain = HTTP.send(HttpRequest.newBuilder(URI.create(feed.base() + "/api/alerts/stream"))
                .header("Authorization", "Bearer " + FeedFixture.CITY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).as("without Accept: text/event-stream").isEqualTo(406);
        HttpResponse<String> outside = HTTP.send(HttpRequest.newBuilder(URI.create(feed.base() + "/api/alerts/stream?region=120105&access_token="
                + FeedFixture.DISTRICT)).header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(outside.statusCode()).isEqualTo(403);
    }

    @Test
    void aTokenMayHoldOnlySoManyEventStreams() throws Exception {
        List<HttpResponse<java.io.InputStream>> open = new ArrayList<>();
        for (int i = 0; i < FeedFixture.MAX_STREAMS; i++) {
            open.add(stream(FeedFixture.HANDLER));
            assertThat(open.get(i).statusCode()).isEqualTo(200);
        }
        assertThat(stream(FeedFixture.HANDLER).statusCode()).isEqualTo(429);
        for (HttpResponse<java.io.InputStream> response : open) {
            response.body().close();
        }
    }

    @Test
    void theAuditLogNamesTheTokenAndTheSubjectButNeverHoldsATokenValue() throws Exception {
        get("/api/codes/86123450000000000101", FeedFixture.CITY);
        get("/api/alerts", "wrong-token-wrong-token-wrong");
        List<String> lines = java.nio.file.Files.readAllLines(feed.auditFile);
        assertThat(lines).anySatisfy(line -> {
            JsonNode entry = JSON.readTree(line);
            assertThat(entry.path("token").asText()).isEqualTo("city");
            assertThat(entry.path("path").asText()).isEqualTo("/api/codes/86123450000000000101");
            assertThat(entry.path("subject").asText()).isEqualTo("86123450000000000101");
            assertThat(entry.path("status").asInt()).isEqualTo(200);
            assertThat(entry.path("at").asText()).isNotEmpty();
        });
        String audit = String.join("\n", lines);
        for (String secret : List.of(FeedFixture.CITY, FeedFixture.DISTRICT, FeedFixture.HANDLER, "wrong-token-wrong-token-wrong")) {
            assertThat(audit).doesNotContain(secret);
        }
    }

    @Test
    void aPartysProfileGivesItsGradeItsCasesAndWhatTheRegisterSays() throws Exception {
        feed.send(feed.config.kafka().partiesTopic(), "PH-120102-0003", "{\"party_id\":\"PH-120102-0003\",\"version_time\":\"2020-01-01T00:00:00Z\","
                + "\"party_type\":\"PHARMACY\",\"region\":\"120102\",\"name\":\"Hedong Pharmacy 3\",\"status\":\"ACTIVE\",\"licence_no\":\"TJ-3\"}");
        CaseRecord graded = CaseRecord.newBuilder(caseRecord("PH-120102-0003@2026-04", 1, CaseStatus.OPEN, Severity.CRITICAL, "120102",
                List.of("120102"), 2, "p1")).setGrade("C").setGradeReason("C: 5 standing alerts in 90 days").build();
        feed.publish(graded);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode profile = json("/api/parties/PH-120102-0003", FeedFixture.CITY);
        while (profile.path("register").isNull() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            profile = json("/api/parties/PH-120102-0003", FeedFixture.CITY);
        }
        assertThat(profile.path("grade").asText()).isEqualTo("C");
        assertThat(profile.path("grade_reason").asText()).contains("standing alerts");
        assertThat(profile.path("register").path("name").asText()).isEqualTo("Hedong Pharmacy 3");
        assertThat(profile.path("cases").path("OPEN").asInt()).isPositive();
        assertThat(get("/api/parties/PH-120102-0003", FeedFixture.DISTRICT).statusCode()).isEqualTo(404);
        assertThat(json("/api/cases/PH-120102-0003@2026-04", FeedFixture.CITY).path("register_loaded").asBoolean())
                .as("a party missing from a case's parties is then not in the register, not unknown").isTrue();
    }

    @Test
    void statsAndRefusedFiltersStayWithinTheReadersRegions() throws Exception {
        assertThat(get("/api/alerts?rule=NOPE", FeedFixture.CITY).statusCode()).isEqualTo(400);
        assertThat(get("/api/alerts?cause=TYPO", FeedFixture.CITY).statusCode()).isEqualTo(400);
        assertThat(json("/api/alerts?cause=cloned_code", FeedFixture.CITY).path("alerts")).extracting(a -> a.path("alert_id").asText())
                .containsExactly("a1");
        assertThat(json("/api/alerts?cause=RESALE", FeedFixture.CITY).path("total").asInt()).isZero();
        assertThat(json("/api/alerts?rule=RECALLED_PACK", FeedFixture.CITY).path("total").asInt()).isZero();
        assertThat(get("/api/alerts?severity=urgent", FeedFixture.CITY).statusCode()).isEqualTo(400);
        JsonNode district = json("/api/stats", FeedFixture.DISTRICT);
        JsonNode city = json("/api/stats", FeedFixture.CITY);
        assertThat(district.path("window_size").asInt()).isLessThan(city.path("window_size").asInt());
        assertThat(district.has("records_applied")).isFalse();
    }

    private static HttpResponse<java.io.InputStream> stream(String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(feed.base() + "/api/alerts/stream?access_token=" + token))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private static HttpResponse<String> post(String path, String token, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(feed.base() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> caseIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("cases").forEach(c -> ids.add(c.path("case_id").asText()));
        return ids;
    }

    /** A case record as the job writes it, of one alert already in the window. */
    static CaseRecord caseRecord(String caseId, long version, CaseStatus status, Severity severity, String region, List<String> regions,
            int alerts, String alertId) {
        return CaseRecord.newBuilder()
                .setCaseId(caseId).setVersion(version).setStatus(status)
                .setDisposition(status == CaseStatus.CLOSED ? io.tracewatch.model.Disposition.CONFIRMED : null)
                .setPartyId(io.tracewatch.io.codec.CaseIds.partyOf(caseId)).setRegion(region).setRegionSource("upload").setRegions(regions)
                .setPeriod(io.tracewatch.io.codec.CaseIds.periodOf(caseId)).setSeverity(severity).setAlertCount(alerts).setCodeCount(1)
                .setRules(java.util.Map.of("DUPLICATE_SALE", alerts))
                .setAlerts(List.of(io.tracewatch.model.CaseAlert.newBuilder().setAlertId(alertId).setRule("DUPLICATE_SALE")
                        .setCode("86123450000000000101").setTriggerEventId(alertId + "-2").setEventTime(java.time.Instant.parse("2026-03-02T02:00:00Z"))
                        .setSeverity(severity).build()))
                .setFirstEventTime(java.time.Instant.parse("2026-03-02T02:00:00Z")).setLastEventTime(java.time.Instant.parse("2026-03-02T02:00:00Z"))
                .setRelatedParties(List.of()).setUpstream(List.of()).setActions(List.of()).setUpdatedAt(java.time.Instant.now())
                .build();
    }

    private static void awaitEvent(List<String> events, String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (events) {
                if (events.contains(name)) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no " + name + " event");
    }
}
