package io.tracewatch.job;

import io.tracewatch.io.file.ReplayProgress;
import io.tracewatch.io.ports.Inputs;
import io.tracewatch.io.ports.Outputs;
import io.tracewatch.savepoint.LiveJobSavepoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;

/**
 * The bootstrap job: a site's history of scans through the live job's topology, streaming, then a
 * savepoint that the live job starts from as if it had read the history itself. The scans' source
 * stays open once the files are read, so that event time stops where the history does (a replay's
 * end of input passes every code's seal and retention at once); every scan is judged once its wait
 * ends, as at the end of a replay, and the job stops with a savepoint. The savepoint keeps the
 * state the live job continues: the detector's and the case stage's.
 */
public final class BootstrapJob {
    public static final String NAME = "tracewatch bootstrap";
    /** Between the last record read and the last scan reaching the detector: network buffers hold a moment's worth. */
    private static final long IN_FLIGHT_MS = 1000;

    private BootstrapJob() {}

    /**
     * Runs the bootstrap on an embedded Flink and waits for its savepoint: what it read and wrote.
     *
     * @param savepoint the savepoint's directory, new or empty
     */
    public static ReplayJob.Result run(Configuration flink, TracewatchConfig config, int parallelism, Inputs inputs, Outputs outputs,
            Path savepoint) throws Exception {
        if (inputs.scans().bounded()) {
            throw new IllegalArgumentException("a bootstrap's scans must stay open once read");
        }
        Files.createDirectories(savepoint);
        // Flink's files go inside the savepoint's directory, so that whoever removes an unfinished one removes them too
        Path checkpoints = savepoint.resolve(".checkpoints");
        Path written = savepoint.resolve(".savepoint");
        Configuration settings = new Configuration(FlinkSettings.streaming(config.job()));
        settings.addAll(flink);
        // the savepoint is the one state kept: no checkpoint in between, and a failure fails the command
        settings.setString("execution.checkpointing.interval", "1 d");
        settings.setString("restart-strategy.type", "none");
        settings.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        settings.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse(System.getProperty("tracewatch.sort.memory", "1g")));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(settings);
        env.setParallelism(parallelism);
        DetectionTopology.build(env, config, inputs, outputs);

        ReplayProgress.reset();
        long started = System.nanoTime();
        JobClient job = env.executeAsync(NAME);
        try {
            awaitRead(job);
            // every scan waits at most this long before it is judged whole, and a changed case as long before it is written
            Thread.sleep(IN_FLIGHT_MS + config.detection().maxJudgeDelayMs() + config.cases().emitIntervalMs());
            String path = job.stopWithSavepoint(false, written.toUri().toString(), SavepointFormatType.CANONICAL).get();
            JobExecutionResult result = job.getJobExecutionResult().get();
            double seconds = (System.nanoTime() - started) / 1e9;
            // a canonical savepoint names its files relative to its directory: they move as they are
            try (var files = Files.list(Path.of(java.net.URI.create(path)))) {
                for (Path file : files.toList()) {
                    Files.move(file, savepoint.resolve(file.getFileName()));
                }
            }
            LiveJobSavepoint.keepLiveState(savepoint);
            return ReplayJob.result(result, seconds);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            if (!job.getJobExecutionResult().isDone()) {
                job.cancel();
            }
            // a leftover in the savepoint's directory is harmless: a restore reads _metadata and the files it names
            FileUtils.deleteDirectoryQuietly(written.toFile());
            FileUtils.deleteDirectoryQuietly(checkpoints.toFile());
        }
    }

    /**
     * Waits until the reader has emitted every record of the history (its split state, which the
     * savepoint drops, then holds nothing left to read), or the job has failed.
     */
    private static void awaitRead(JobClient job) throws Exception {
        while (!ReplayProgress.ended()) {
            if (job.getJobExecutionResult().isDone()) {
                job.getJobExecutionResult().get();
                throw new IllegalStateException("the bootstrap job ended before it read its input");
            }
            Thread.sleep(100);
        }
    }
}
