package io.tracewatch.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.alert.FinalAlerts;
import io.tracewatch.config.ConfigLoader;
import io.tracewatch.config.DetectionConfig;
import io.tracewatch.testing.Decoding;
import io.tracewatch.io.ScanEventJson;
import io.tracewatch.model.Alert;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.rules.Events;
import io.tracewatch.rules.HistoryWalk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The detector's final alerts depend only on the events: every contract example, fed in many
 * random arrival orders with watermarks and processing time advancing at random points in between
 * (so events are judged early, arrive late, and alerts are raised and retracted), ends with the
 * alerts that a walk over the event-time ordered history finds.
 */
class ArrivalOrderIndependenceTest {
    private static final DetectionConfig CONFIG = ConfigLoader.defaults().detection();
    private static final int ORDERS_PER_SCENARIO = 40;

    static Stream<String> scenarios() throws Exception {
        return ContractExamplesTest.scenarios().filter(s -> !s.startsWith("28-"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void finalAlertsAreTheSameInEveryArrivalOrder(String scenario) throws Exception {
        Path scans = Paths.get(getClass().getResource("/contract-examples/" + scenario + ".scans.jsonl").toURI());
        List<ScanEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(scans)) {
            ScanEventJson.Decoded decoded = ScanEventJson.decode(line);
            if (decoded.event() != null) {
                events.add(decoded.event());
            }
        }
        Set<String> expected = walkOfDistinct(events);

        Random random = new Random(scenario.hashCode());
        for (int order = 0; order < ORDERS_PER_SCENARIO; order++) {
            List<ScanEvent> arrival = new ArrayList<>(events);
            arrival.add(arrival.get(random.nextInt(arrival.size())));
            Collections.shuffle(arrival, random);
            assertThat(detect(arrival, random)).as("arrival order %s", ids(arrival)).isEqualTo(expected);
        }
    }

    private static Set<String> walkOfDistinct(List<ScanEvent> events) {
        List<ScanEvent> history = events.stream().distinct().sorted(Events.EVENT_TIME_ORDER).toList();
        return HistoryWalk.standard(CONFIG.maxSpeedKmh(), CONFIG.locationSlackKm()).findings(history).stream()
                .map(f -> f.rule() + "@" + f.trigger().getEventId())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> detect(List<ScanEvent> arrival, Random random) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Ingested, Alert> harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CodeDetector(CONFIG, io.tracewatch.cases.CasePeriod.MONTH)), scan -> scan.getEvent().getCode(), Types.STRING)) {
            harness.open();
            long watermark = Long.MIN_VALUE;
            long processingTime = 0;
            long position = 0;
            for (ScanEvent event : arrival) {
                long time = event.getEventTime().toEpochMilli();
                Ingested record = Decoding.event(event, ++position);
                harness.processElement(new StreamRecord<>(record, time));
                if (random.nextInt(3) == 0 && time > watermark) {
                    watermark = time;
                    harness.processWatermark(watermark);
                }
                if (random.nextInt(4) == 0) {
                    processingTime += random.nextInt(2 * (int) CONFIG.maxJudgeDelayMs());
                    harness.setProcessingTime(processingTime);
                }
            }
            harness.processWatermark(Long.MAX_VALUE);
            return FinalAlerts.of(harness.extractOutputValues()).standing().stream()
                    .map(a -> a.getRule() + "@" + a.getTriggerEventId())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static String ids(List<ScanEvent> events) {
        return events.stream().map(ScanEvent::getEventId).collect(Collectors.joining(","));
    }
}
