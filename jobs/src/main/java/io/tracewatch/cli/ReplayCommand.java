package io.tracewatch.cli;

import io.tracewatch.alert.FinalAlerts;
import io.tracewatch.config.TracewatchConfig;
import io.tracewatch.detect.DetectionTopology;
import io.tracewatch.detect.RouteDeadLetters;
import io.tracewatch.io.FileScanSource;
import io.tracewatch.io.InputFiles;
import io.tracewatch.io.JsonFileOutputs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** {@code replay}: runs recorded scan events through the detection pipeline on an embedded Flink. */
final class ReplayCommand implements Command {
    private static final List<String> INPUT_SUFFIXES = List.of(".jsonl", ".jsonl.gz", ".json", ".json.gz");

    enum Mode { BATCH, STREAMING }

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public String summary() {
        return "run scan events from JSON Lines files through the detector, write alerts to a file";
    }

    @Override
    public Options options() {
        return ConfigOptions.add(new Options(name(), summary()))
                .repeatable("input", "PATH", "scan events: a .jsonl(.gz) file, a directory of them, or a glob")
                .value("output", "FILE", "alerts as JSON Lines (RAISED and RETRACTED records)")
                .value("dead-letter", "FILE", "dead letters as JSON Lines (default: beside the output, .dead-letter.jsonl)")
                .value("mode", "batch|streaming", "Flink runtime mode (default batch: sorted per code, fastest)")
                .value("parallelism", "N", "parallel subtasks (default: number of cores)")
                .flag("quiet", "print nothing but errors");
    }

    @Override
    public int run(Options.Parsed args, PrintStream out, PrintStream err) throws Exception {
        if (args.all("input").isEmpty()) {
            throw new UsageException("--input is required");
        }
        List<Path> inputs = resolveInputs(args.all("input"));
        Path output = Paths.get(args.required("output"));
        Path deadLetter = Paths.get(args.get("dead-letter", defaultDeadLetterPath(output).toString()));
        Mode mode = args.choice("mode", Mode.class, Mode.BATCH);
        int parallelism = args.positiveInt("parallelism", Runtime.getRuntime().availableProcessors());
        TracewatchConfig config = ConfigOptions.load(args);
        boolean quiet = args.has("quiet");

        Configuration flink = new Configuration();
        flink.set(ExecutionOptions.RUNTIME_MODE,
                mode == Mode.BATCH ? RuntimeExecutionMode.BATCH : RuntimeExecutionMode.STREAMING);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(parallelism);
        DetectionTopology.build(env, config.detection(), new FileScanSource(inputs), new JsonFileOutputs(output, deadLetter));

        long started = System.nanoTime();
        JobExecutionResult result = env.execute("tracewatch replay");
        double seconds = (System.nanoTime() - started) / 1e9;

        if (!quiet) {
            long read = result.<Long>getAccumulatorResult(RouteDeadLetters.RECORDS_READ);
            out.println(summary(read, countLines(deadLetter), FinalAlerts.read(output), seconds, output, deadLetter));
        }
        return 0;
    }

    private static List<Path> resolveInputs(List<String> inputs) {
        try {
            return InputFiles.resolve(inputs, INPUT_SUFFIXES);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static Path defaultDeadLetterPath(Path output) {
        String name = output.getFileName().toString();
        String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
        return output.resolveSibling(stem + ".dead-letter.jsonl");
    }

    private static long countLines(Path file) throws IOException {
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }

    static String summary(long read, long deadLetters, FinalAlerts alerts, double seconds, Path output, Path deadLetter) {
        Map<String, Long> byRule = alerts.countByRule();
        String rules = byRule.isEmpty()
                ? "none"
                : byRule.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        return String.format(
                "replay: %d records read, %d dead letters, %d alerts standing (%s), %d retractions, %.1f s, %.0f records/s%n"
                        + "  alerts: %s%n  dead letters: %s",
                read, deadLetters, alerts.standing().size(), rules, alerts.retractions(), seconds,
                read / Math.max(seconds, 1e-3), output, deadLetter);
    }
}
