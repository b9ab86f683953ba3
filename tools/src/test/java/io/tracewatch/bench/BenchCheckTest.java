package io.tracewatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench --check}: figures compared by ratios within each run, a regression past 15% flagged. */
class BenchCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode run(double passthrough, double detection, double p99, double bytesPerCode) throws Exception {
        return JSON.readTree("""
                {"results": [
                  {"group": "Kafka → Kafka, exactly-once", "name": "passthrough", "events_per_second": %s},
                  {"group": "Kafka → Kafka, exactly-once", "name": "detection", "events_per_second": %s, "ratio_to_passthrough": %s},
                  {"group": "alert latency", "name": "fast", "p99_ms": %s, "ordering_delay_ms": 1000, "checkpoint_interval_ms": 1000},
                  {"group": "state size", "name": "200,000 codes", "incremental_bytes_per_code": %s}
                ]}""".formatted(passthrough, detection, detection / passthrough, p99, bytesPerCode));
    }

    @Test
    void anAlertThatNeverCameIsARegression() throws Exception {
        JsonNode stored = JSON.readTree("{\"results\": [{\"group\": \"alert latency\", \"name\": \"fast\", \"unanswered\": 0}]}");
        JsonNode lost = JSON.readTree("{\"results\": [{\"group\": \"alert latency\", \"name\": \"fast\", \"unanswered\": 1}]}");
        assertThat(BenchCheck.compare(stored, lost)).singleElement().satisfies(c -> assertThat(c.regressed()).isTrue());
        assertThat(BenchCheck.compare(stored, stored)).singleElement().satisfies(c -> assertThat(c.regressed()).isFalse());
    }

    @Test
    void aSlowerMachineIsNoRegressionWhenTheRatiosHold() throws Exception {
        List<BenchCheck.Comparison> same = BenchCheck.compare(run(80_000, 40_000, 2100, 400), run(40_000, 20_000, 2100, 400));
        assertThat(same).hasSize(4).noneMatch(BenchCheck.Comparison::regressed);
    }

    @Test
    void aRatioWorseByMoreThanFifteenPercentIsARegressionEitherWay() throws Exception {
        JsonNode stored = run(80_000, 40_000, 2100, 400);
        assertThat(BenchCheck.compare(stored, run(80_000, 32_000, 2100, 400)))
                .filteredOn(BenchCheck.Comparison::regressed).extracting(BenchCheck.Comparison::figure)
                .containsExactlyInAnyOrder("Kafka → Kafka, exactly-once / detection: events/s against the group's first run",
                        "Kafka → Kafka, exactly-once / detection: ratio_to_passthrough");
        assertThat(BenchCheck.compare(stored, run(80_000, 40_000, 2600, 400))).filteredOn(BenchCheck.Comparison::regressed).hasSize(1);
        assertThat(BenchCheck.compare(stored, run(80_000, 40_000, 2100, 470))).filteredOn(BenchCheck.Comparison::regressed).hasSize(1);
        assertThat(BenchCheck.compare(stored, run(80_000, 36_000, 1500, 300))).noneMatch(BenchCheck.Comparison::regressed);
    }
}
