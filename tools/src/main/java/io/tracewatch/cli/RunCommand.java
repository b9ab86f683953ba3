package io.tracewatch.cli;

import io.tracewatch.io.kafka.JobLease;
import io.tracewatch.io.kafka.KafkaClientProperties;
import io.tracewatch.job.StreamingJob;
import io.tracewatch.job.TracewatchConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code run}: the streaming job on an embedded Flink in this process, until Ctrl-C or SIGTERM
 * cancels it. On a cluster, the job jar ({@code tracewatch-job.jar}) runs the same job.
 */
final class RunCommand implements Command {
    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run the streaming detector: scans from Kafka, alerts and dead letters to Kafka, exactly once";
    }

    @Override
    public Options options() {
        return ConfigOptions.add(new Options(name(), summary()))
                .value("from-savepoint", "DIR", "start from this savepoint: one of this job's, or one that bootstrap wrote");
    }

    @Override
    public int run(Options.Parsed args, PrintStream out, PrintStream err) throws Exception {
        TracewatchConfig config = ConfigOptions.load(args);
        StreamExecutionEnvironment env = StreamingJob.prepare(config, out, savepoint(args));
        // a second job with the same settings would write every alert twice: it is refused here
        try (JobLease lease = JobLease.acquire(config.kafka(), KafkaClientProperties.load(config.kafka()));
                StopSignal stop = StopSignal.install()) {
            JobClient job = env.executeAsync(StreamingJob.NAME);
            CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
            while (!result.isDone()) {
                if (stop.await(Duration.ofMillis(200))) {
                    // cancelling aborts the open Kafka transactions; what the last checkpoint committed stays
                    job.cancel().get(StopSignal.GRACE.toMillis() - 1000, TimeUnit.MILLISECONDS);
                    out.println("tracewatch: job cancelled");
                    return 0;
                }
            }
            result.get();
        }
        return 0;
    }

    /** {@code --from-savepoint} as Flink takes it, or null. */
    private static String savepoint(Options.Parsed args) {
        if (!args.has("from-savepoint")) {
            return null;
        }
        Path directory = Paths.get(args.get("from-savepoint", null));
        if (!Files.isRegularFile(directory.resolve("_metadata"))) {
            throw new UsageException("--from-savepoint: " + directory + " is not a savepoint (it has no _metadata)");
        }
        return directory.toAbsolutePath().toUri().toString();
    }
}
