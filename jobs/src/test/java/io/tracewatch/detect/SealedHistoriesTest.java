package io.tracewatch.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.alert.FinalAlerts;
import io.tracewatch.cases.CasePeriod;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.model.EventType;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.testing.Decoding;
import io.tracewatch.testing.Scan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sealed histories in the detector operator, with its timers: where no event comes later than the
 * seal allows, sealing changes no final alert (contract v1.2, "Years of codes"); an event that does
 * is judged against the seal and flagged.
 */
class SealedHistoriesTest {
    private static final long DAY_MS = Duration.ofDays(1).toMillis();
    private static final DetectionConfig SEALED_AFTER_A_DAY = TracewatchConfig.load(null, List.of("detection.seal_after_days=1")).detection();
    private static final DetectionConfig NEVER_SEALED = TracewatchConfig.load(null, List.of("detection.seal_after_days=0")).detection();
    private static final String[] PARTIES = {"MF-1", "DS-1", "DS-2", "PH-1", "PH-2", "HOS-1"};
    private static final EventType[] TYPES = {EventType.COMMISSION, EventType.SHIP, EventType.SHIP, EventType.RECEIVE, EventType.RECEIVE,
        EventType.SELL, EventType.SELL, EventType.DISPENSE, EventType.SETTLE, EventType.RETURN, EventType.DESTROY};

    /** Moves the watermark after every arrival, and processing time never. */
    private static final Random EVERY_TIME = new Random() {
        @Override
        public int nextInt(int bound) {
            return 0;
        }
    };

    /** An arrival: the scan and the arrival position it gets (the order of the input). */
    private record Arrival(ScanEvent event, double at) {}

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void whenNoEventComesLaterThanTheSealAllowsSealingChangesNoFinalAlert(long seed) throws Exception {
        List<Arrival> arrivals = randomInput(new Random(seed));

        Set<String> sealed = finalAlerts(run(SEALED_AFTER_A_DAY, arrivals, new Random(seed)));
        Set<String> whole = finalAlerts(run(NEVER_SEALED, arrivals, new Random(seed)));

        assertThat(sealed).isEqualTo(whole).isNotEmpty();
    }

    @Test
    void anEventLaterThanTheSealAllowsIsJudgedAgainstTheSealAndFlagged() throws Exception {
        List<Arrival> arrivals = List.of(
                new Arrival(Scan.of("e1", EventType.RECEIVE, "01-01 10:00", "PH-1").to("DS-1").build(), 1),
                new Arrival(Scan.of("e2", EventType.SELL, "01-02 10:00", "PH-1").build(), 2),
                new Arrival(Scan.of("e3", EventType.SELL, "01-03 10:00", "PH-2").build(), 3),
                // moves the watermark a week on: the code is sealed
                new Arrival(Scan.of("other", EventType.RECEIVE, "01-10 10:00", "PH-1").to("DS-1").code("86123450000000000002").build(), 4),
                new Arrival(Scan.of("late", EventType.SELL, "01-01 12:00", "PH-3").build(), 5));

        List<Alert> alerts = run(SEALED_AFTER_A_DAY, arrivals, EVERY_TIME);

        assertThat(alerts).filteredOn(a -> a.getStatus() == AlertStatus.RETRACTED).isEmpty();
        assertThat(alerts).filteredOn(a -> a.getTriggerEventId().equals("late") && a.getRule().equals("DUPLICATE_SALE"))
                .singleElement().satisfies(a -> {
                    assertThat(a.getLateBeyondSeal()).isTrue();
                    assertThat(a.getEvidence()).extracting(ScanEvent::getEventId).containsExactly("e2", "e3", "late");
                });
        assertThat(finalAlerts(run(NEVER_SEALED, arrivals, EVERY_TIME)))
                .as("placed in order, the late sale is the first, and the sale at PH-1 the duplicate")
                .anyMatch(line -> line.contains(" DUPLICATE_SALE e2 ") && line.contains(" late,e2 "));
    }

    /** A few codes, each a random walk over a month's events; every event arrives less than a day after the watermark reaches it. */
    private static List<Arrival> randomInput(Random random) {
        List<Arrival> arrivals = new ArrayList<>();
        for (int code = 0; code < 6; code++) {
            Instant time = Instant.parse("2026-01-01T02:00:00Z").plusSeconds(random.nextInt(86_400));
            int events = 4 + random.nextInt(7);
            for (int i = 0; i < events; i++) {
                time = time.plusSeconds(random.nextInt(4 * 86_400));
                ScanEvent event = randomEvent(random, "c" + code + "-e" + i, time, String.format("8612345000000000%04d", code));
                double at = time.toEpochMilli() + random.nextDouble() * 0.9 * DAY_MS;
                arrivals.add(new Arrival(event, at));
                if (random.nextInt(5) == 0) {
                    arrivals.add(new Arrival(event, Math.min(at + random.nextDouble() * DAY_MS, time.toEpochMilli() + 0.95 * DAY_MS)));
                }
            }
        }
        arrivals.sort(Comparator.comparingDouble(Arrival::at));
        return arrivals;
    }

    private static ScanEvent randomEvent(Random random, String id, Instant time, String code) {
        EventType type = TYPES[random.nextInt(TYPES.length)];
        Scan scan = Scan.of(id, type, time.toString().replace("Z", "+00:00"), PARTIES[random.nextInt(PARTIES.length)]).code(code);
        if (type == EventType.SHIP || type == EventType.RECEIVE || type == EventType.RETURN && random.nextBoolean()) {
            scan.to(PARTIES[random.nextInt(PARTIES.length)]);
        }
        if (random.nextInt(3) == 0) {
            scan.at(random.nextBoolean() ? 39.13 : 23.13, random.nextBoolean() ? 117.20 : 113.26);
        }
        if (random.nextInt(3) == 0) {
            scan.pack(10).qty(1 + random.nextInt(10));
        }
        if (random.nextInt(3) == 0) {
            scan.txn("T" + random.nextInt(3));
        }
        if (random.nextInt(4) == 0) {
            scan.batch(random.nextInt(6) == 0 ? "P-2" : "P-1", "B-1").expiry("2026-01-" + (10 + random.nextInt(20)));
        }
        return scan.build();
    }

    /** The detector over the arrivals, the watermark moving to the newest event so far at random points, processing time too. */
    private static List<Alert> run(DetectionConfig config, List<Arrival> arrivals, Random random) throws Exception {
        try (var harness = ShuffledExampleRun.open(new CodeDetector(config, CasePeriod.MONTH))) {
            long watermark = Long.MIN_VALUE;
            long newest = Long.MIN_VALUE;
            long processingTime = 0;
            long position = 0;
            for (Arrival arrival : arrivals) {
                long time = arrival.event().getEventTime().toEpochMilli();
                Ingested record = Decoding.event(arrival.event(), ++position);
                harness.processElement(new StreamRecord<>(record, time));
                newest = Math.max(newest, time);
                if (random.nextInt(2) == 0 && newest > watermark) {
                    watermark = newest;
                    harness.processWatermark(watermark);
                }
                if (random.nextInt(4) == 0) {
                    processingTime += random.nextInt(2 * (int) config.maxJudgeDelayMs());
                    harness.setProcessingTime(processingTime);
                }
            }
            harness.processWatermark(Long.MAX_VALUE);
            return new ArrayList<>(harness.extractOutputValues());
        }
    }

    /** What each final alert says: its id, rule, trigger, cause, evidence and sentence. */
    private static Set<String> finalAlerts(List<Alert> alerts) {
        return FinalAlerts.of(alerts).standing().stream()
                .map(a -> a.getAlertId() + " " + a.getRule() + " " + a.getTriggerEventId() + " " + a.getCause() + " "
                        + a.getEvidence().stream().map(ScanEvent::getEventId).collect(Collectors.joining(",")) + " " + a.getExplanation()
                        + " " + a.getLateBeyondSeal())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
