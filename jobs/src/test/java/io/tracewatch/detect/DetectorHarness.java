package io.tracewatch.detect;

import io.tracewatch.cases.CasePeriod;
import io.tracewatch.config.ConfigLoader;
import io.tracewatch.config.DetectionConfig;
import io.tracewatch.io.ScanEventJson;
import io.tracewatch.model.Alert;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.testing.Decoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * Runs the detector in Flink's operator harness over a contract example's events in a random
 * arrival order, watermarks and processing time advancing at random: the alert records it writes,
 * raised and retracted, are what a later stage sees.
 */
public final class DetectorHarness {
    static final DetectionConfig CONFIG = ConfigLoader.defaults().detection();

    private DetectorHarness() {}

    public static List<ScanEvent> events(String scenario) throws Exception {
        Path scans = Paths.get(DetectorHarness.class.getResource("/contract-examples/" + scenario + ".scans.jsonl").toURI());
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

    static List<Alert> detect(List<ScanEvent> arrival, Random random) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Ingested, Alert> harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CodeDetector(CONFIG, CasePeriod.MONTH)), scan -> scan.getEvent().getCode(), Types.STRING)) {
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
            return new ArrayList<>(harness.extractOutputValues());
        }
    }
}
