package io.tracewatch.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewatch.model.Alert;
import io.tracewatch.model.Severity;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
        routeElsewhere = FeedFixture.alert("a2", "IMPOSSIBLE_ROUTE", Severity.MEDIUM, "86123450000000000102", "PH-120105-0002", "120105", "03-03 11:00");
        feed.publish(dupInDistrict);
        feed.publish(routeElsewhere);
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
    }

    @Test
    void theCitySeesEveryRegionAndADistrictOnlyItsOwn() throws Exception {
        assertThat(json("/api/alerts?limit=1000", FeedFixture.CITY).path("total").asInt()).isEqualTo(32);
        JsonNode district = json("/api/alerts?limit=1000", FeedFixture.DISTRICT);
        assertThat(ids(district)).containsExactly("a1");
        assertThat(get("/api/alerts?region=120105", FeedFixture.DISTRICT).statusCode()).isEqualTo(403);
        assertThat(get("/api/alerts?region=12", FeedFixture.DISTRICT).statusCode()).isEqualTo(403);
        assertThat(ids(json("/api/alerts?region=120101", FeedFixture.DISTRICT))).containsExactly("a1");
        assertThat(get("/api/codes/86123450000000000102", FeedFixture.DISTRICT).statusCode()).isEqualTo(404);
        assertThat(json("/api/stats", FeedFixture.DISTRICT).path("per_region").has("120105")).isFalse();
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
