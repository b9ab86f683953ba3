package io.tracewatch.io.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.ingest.EventTimeWatermarks;
import io.tracewatch.io.codec.ScanDecoder;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.testing.FlinkCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bootstrap's scan files: read to their end, one after another in the order given, by a reader that then stays
 * open, the watermark moved by the files and never past them, nor to the end of time.
 */
class HeldOpenSourceTest {
    private static final long ORDERING_DELAY_MS = 5000;
    private static final int FILES = 4;
    private static final int LINES = 10_000;
    /** The file of each record, in the order they arrive. */
    private static final List<Integer> FILE_ORDER = java.util.Collections.synchronizedList(new ArrayList<>());
    private static final AtomicLong RECORDS = new AtomicLong();
    private static final AtomicLong WATERMARK = new AtomicLong(Long.MIN_VALUE);

    @RegisterExtension
    static final FlinkCluster FLINK = new FlinkCluster(3);

    @TempDir
    Path dir;

    @Test
    void theReadersStayOpenAndTheWatermarkStopsWhereTheFilesDo() throws Exception {
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        List<Path> files = new ArrayList<>();
        for (int file = 0; file < FILES; file++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < LINES; i++) {
                lines.add("{\"event_id\":\"e" + file + "-" + i + "\",\"code\":\"8612345000000000" + String.format("%04d", i % 10_000)
                        + "\",\"event_type\":\"RECEIVE\",\"event_time\":\"" + start.plusSeconds(60L * (file * LINES + i)) + "\",\"party_id\":\"PH-1\","
                        + "\"party_type\":\"PHARMACY\"}");
            }
            files.add(Files.write(dir.resolve("history-" + file + ".jsonl"), lines));
        }
        long newest = start.plusSeconds(60L * (FILES * LINES - 1)).toEpochMilli();

        // watermarks are emitted periodically: the last interval of a file read to its end moves none
        Configuration often = new Configuration();
        often.setString("pipeline.auto-watermark-interval", "5 ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(often);
        env.setParallelism(3);
        WatermarkStrategy<Ingested> watermarks = WatermarkStrategy.<Ingested>forGenerator(c -> new EventTimeWatermarks<>(ORDERING_DELAY_MS, 60_000))
                .withTimestampAssigner((scan, ts) -> scan.getEvent() == null ? Long.MIN_VALUE : scan.getEvent().getEventTime().toEpochMilli());
        FileScanSource.heldOpen(files).create(env, watermarks, ScanDecoder.of(TracewatchConfig.defaults().ingest()))
                .transform("watch", Types.VOID, new Watch()).setParallelism(1);
        RECORDS.set(0);
        FILE_ORDER.clear();
        WATERMARK.set(Long.MIN_VALUE);
        JobClient job = env.executeAsync("held open");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && RECORDS.get() < (long) FILES * LINES) {
            Thread.sleep(50);
        }
        Thread.sleep(1000);
        JobStatus status = job.getJobStatus().get();
        job.cancel().get();

        assertThat(RECORDS.get()).isEqualTo((long) FILES * LINES);
        assertThat(FILE_ORDER).as("files read one after another, in the order given").isSorted();
        assertThat(WATERMARK.get()).isGreaterThan(start.toEpochMilli()).isLessThanOrEqualTo(newest - ORDERING_DELAY_MS - 1);
        assertThat(status).isEqualTo(JobStatus.RUNNING);
    }

    /** Counts the records and keeps the last watermark it is sent. */
    private static final class Watch extends AbstractStreamOperator<Void> implements OneInputStreamOperator<Ingested, Void> {
        @Override
        public void processElement(StreamRecord<Ingested> element) {
            RECORDS.incrementAndGet();
            FILE_ORDER.add(Integer.parseInt(element.getValue().getEvent().getEventId().replaceAll("e(\\d+)-.*", "$1")));
        }

        @Override
        public void processWatermark(Watermark mark) throws Exception {
            WATERMARK.set(mark.getTimestamp());
            super.processWatermark(mark);
        }
    }
}
