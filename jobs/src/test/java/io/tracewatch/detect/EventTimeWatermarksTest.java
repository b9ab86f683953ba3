package io.tracewatch.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.ingest.EventTimeWatermarks;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class EventTimeWatermarksTest {
    private final List<Long> emitted = new ArrayList<>();
    private final WatermarkOutput output = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
            emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    };

    @Test
    void theWatermarkTrailsTheLatestEventByTheOrderingDelay() {
        EventTimeWatermarks<String> watermarks = new EventTimeWatermarks<>(5_000, 86_400_000);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).isEmpty();
        watermarks.onEvent("a", 1_000_000, output);
        watermarks.onEvent("b", 900_000, output);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(1_000_000L - 5_000 - 1);
    }

    @Test
    void anEventStampedFarInTheFutureDoesNotMoveEventTime() {
        EventTimeWatermarks<String> watermarks = new EventTimeWatermarks<>(5_000, 60_000);
        long now = System.currentTimeMillis();
        watermarks.onEvent("genuine", now - 10_000, output);
        watermarks.onEvent("wrong clock", now + 365L * 86_400_000, output);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(now - 10_000 - 5_000 - 1);
    }
}
