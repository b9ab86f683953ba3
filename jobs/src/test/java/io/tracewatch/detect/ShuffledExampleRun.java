package io.tracewatch.detect;

import io.tracewatch.cases.CasePeriod;
import io.tracewatch.io.codec.ScanEventJson;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.Alert;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.model.internal.ReferenceRecord;
import io.tracewatch.testing.Decoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Runs the detector in Flink's operator harness over a contract example's events in a random
 * arrival order, watermarks and processing time advancing at random: the alert records it writes,
 * raised and retracted, are what a later stage sees.
 */
public final class ShuffledExampleRun {
    static final DetectionConfig CONFIG = TracewatchConfig.defaults().detection();

    private ShuffledExampleRun() {}

    public static List<ScanEvent> events(String scenario) throws Exception {
        Path scans = Paths.get(ShuffledExampleRun.class.getResource("/contract-examples/" + scenario + ".scans.jsonl").toURI());
        List<ScanEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(scans)) {
            ScanEventJson.Decoded decoded = ScanEventJson.decode(line);
            if (decoded.event() != null) {
                events.add(decoded.event());
            }
        }
        return events;
    }

    public static List<Alert> alertsInRandomOrder(String scenario, Random random) throws Exception {
        List<ScanEvent> arrival = new ArrayList<>(events(scenario));
        arrival.add(arrival.get(random.nextInt(arrival.size())));
        Collections.shuffle(arrival, random);
        return detect(arrival, random);
    }

    /**
     * The detector in Flink's harness for keyed operators with a broadcast input, opened; the
     * broadcast input (reference data) is at the end of time, as when there is none.
     */
    public static DetectorOperatorHarness open(CodeDetector detector) throws Exception {
        DetectorOperatorHarness harness = new DetectorOperatorHarness(detector);
        harness.open();
        harness.processBroadcastWatermark(Long.MAX_VALUE);
        return harness;
    }

    /** Entries of keyed state in the detector: one per code it holds. */
    public static int keyedEntries(DetectorOperatorHarness harness) {
        return harness.numKeyedStateEntries();
    }

    static List<Alert> detect(List<ScanEvent> arrival, Random random) throws Exception {
        try (var harness = open(new CodeDetector(CONFIG, CasePeriod.MONTH))) {
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
            return new ArrayList<>(harness.extractOutputValues());
        }
    }
}
