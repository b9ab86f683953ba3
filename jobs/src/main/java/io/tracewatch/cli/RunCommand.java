package io.tracewatch.cli;

import io.tracewatch.job.StreamingJob;
import java.io.PrintStream;

/**
 * {@code run}: the streaming job. Submitted to a cluster, it runs there; started with
 * {@code java -jar}, it runs on an embedded Flink in this process.
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
        return ConfigOptions.add(new Options(name(), summary()));
    }

    @Override
    public int run(Options.Parsed args, PrintStream out, PrintStream err) throws Exception {
        StreamingJob.run(ConfigOptions.load(args), out);
        return 0;
    }
}
