package io.tracewatch.job;

import io.tracewatch.detect.DetectorMetrics;
import io.tracewatch.ingest.RouteDeadLetters;
import io.tracewatch.io.ports.Inputs;
import io.tracewatch.io.ports.Outputs;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The replay job: recorded scans through the one topology of the live job, to its end. In batch
 * mode each code's records are sorted and judged once, with no checkpoints; in streaming mode the
 * streaming runtime judges them with the ordering delay, as the live job does.
 */
public final class ReplayJob {
    public static final String NAME = "tracewatch replay";

    /**
     * What a finished replay read and wrote, and how long it ran.
     *
     * @param deadLetters records of the input that were not scans, and scans the detector refused
     */
    public record Result(long recordsRead, long scansRead, long deadLetters, long alertsRaised, long alertsRetracted, double seconds) {}

    private ReplayJob() {}

    /**
     * Runs the replay on an embedded Flink (or the cluster of the calling test) and waits for its end.
     *
     * @param flink Flink's settings for the run, e.g. its scratch directories
     */
    public static Result run(Configuration flink, TracewatchConfig config, RuntimeExecutionMode mode, int parallelism, Inputs inputs,
            Outputs outputs) throws Exception {
        Configuration settings = new Configuration(flink);
        settings.set(ExecutionOptions.RUNTIME_MODE, mode);
        // streaming keeps every code's state until the end: in RocksDB, memory stays bounded however large the input
        settings.setString("state.backend.type", config.job().stateBackend());
        // batch replay sorts every record; memory kept for sorting means fewer spills to disk
        settings.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse(System.getProperty("tracewatch.sort.memory", "1g")));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(settings);
        env.setRuntimeMode(mode);
        env.setParallelism(parallelism);
        DetectionTopology.build(env, config, inputs, outputs);
        long started = System.nanoTime();
        JobExecutionResult result = env.execute(NAME);
        return result(result, (System.nanoTime() - started) / 1e9);
    }

    /** What the run's accumulators counted. */
    static Result result(JobExecutionResult result, double seconds) {
        long read = count(result, RouteDeadLetters.RECORDS_READ);
        long scans = count(result, RouteDeadLetters.SCANS_READ);
        return new Result(read, scans, read - scans + count(result, DetectorMetrics.DEAD_LETTERS), count(result, DetectorMetrics.ALERTS_RAISED),
                count(result, DetectorMetrics.ALERTS_RETRACTED), seconds);
    }

    private static long count(JobExecutionResult result, String accumulator) {
        Long value = result.<Long>getAccumulatorResult(accumulator);
        return value == null ? 0 : value;
    }
}
