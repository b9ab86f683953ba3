package io.tracewatch.cli;

import io.tracewatch.alert.FinalAlerts;
import io.tracewatch.embedded.ScratchDirectory;
import io.tracewatch.io.file.FileOutputs;
import io.tracewatch.io.file.FileScanSource;
import io.tracewatch.io.ports.Inputs;
import io.tracewatch.job.BootstrapJob;
import io.tracewatch.job.ReplayJob;
import io.tracewatch.job.TracewatchConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;

/**
 * {@code bootstrap}: a site's history of scans through the live job's pipeline, judged as a replay
 * judges it, ending in a savepoint that the live job ({@code run --from-savepoint}, or
 * {@code flink run -s} with the job jar) continues from.
 */
final class BootstrapCommand implements Command {
    /** How long the history's last scans wait before they are judged whole. */
    private static final long HISTORY_END_WAIT_MS = 1000;

    @Override
    public String name() {
        return "bootstrap";
    }

    @Override
    public String summary() {
        return "judge a history of scans as replay does and write a savepoint the live job starts from";
    }

    @Override
    public Options options() {
        return ConfigOptions.add(new Options(name(), summary()))
                .repeatable("input", "PATH", "the history's scan events: a .jsonl(.gz) or .avro file, a directory of them, or a glob")
                .value("savepoint", "DIR", "where the savepoint goes: a directory that does not exist yet")
                .value("alerts", "FILE", "also write the history's alerts (RAISED and RETRACTED records): .jsonl or .avro")
                .value("dead-letter", "FILE", "dead letters (default: beside the alerts, or beside the savepoint)")
                .value("cases", "FILE", "also write case records (every version; the last per case_id is the case): .jsonl or .avro")
                .value("leads", "FILE", "also write insurance leads (RAISED and RETRACTED): .jsonl or .avro")
                .value("parties", "FILE", "a party register (JSON Lines or CSV), as for replay")
                .value("settings", "FILE", "rule settings versions (JSON Lines), as for replay")
                .value("recalls", "FILE", "a recall list (JSON Lines recall records), as for replay")
                .value("parallelism", "N", "parallel subtasks, at most 64 (default: number of cores)")
                .flag("quiet", "print nothing but errors");
    }

    @Override
    public int run(Options.Parsed args, PrintStream out, PrintStream err) throws Exception {
        TracewatchConfig config = ConfigOptions.load(args);
        if (config.detection().maxJudgeDelayMs() > HISTORY_END_WAIT_MS) {
            // the wait judges only the scans the watermark has not passed, in a history its last ones:
            // after 1 s they are judged whole, as the end of a replay judges them
            List<String> settings = new ArrayList<>(args.all("set"));
            settings.add("detection.max_judge_delay_ms=" + HISTORY_END_WAIT_MS);
            config = ConfigOptions.load(args, settings);
        }
        if (args.all("input").isEmpty()) {
            throw new UsageException("--input is required");
        }
        List<Path> inputFiles = ReplayCommand.resolveInputs(args.all("input"));
        Path savepoint = Paths.get(args.required("savepoint"));
        Path parties = args.has("parties") ? ReplayCommand.existingFile("--parties", args.get("parties", null)) : null;
        Path settings = args.has("settings") ? ReplayCommand.existingFile("--settings", args.get("settings", null)) : null;
        Path recalls = args.has("recalls") ? ReplayCommand.existingFile("--recalls", args.get("recalls", null)) : null;
        int parallelism = ReplayCommand.parallelism(args);
        boolean quiet = args.has("quiet");

        try (StagedFiles staged = new StagedFiles(ReplayCommand.readFiles(inputFiles, parties, settings, recalls)); ScratchDirectory scratch = ScratchDirectory.create("tracewatch-bootstrap-", true)) {
            Path stagedSavepoint = staged.stageDirectory("--savepoint", savepoint);
            Path alertsFile = args.has("alerts") ? Paths.get(args.get("alerts", null)) : null;
            Path deadLetterFile = Paths.get(args.get("dead-letter",
                    ReplayCommand.defaultDeadLetterPath(alertsFile != null ? alertsFile : savepoint.resolveSibling(savepoint.getFileName() + ".jsonl"))
                            .toString()));
            FileOutputs outputs = new FileOutputs(alertsFile == null ? null : staged.stage("--alerts", alertsFile),
                    staged.stage("--dead-letter", deadLetterFile));
            ReplayCommand.withCasesAndLeads(args, staged, outputs);
            Inputs inputs = ReplayCommand.withReference(Inputs.of(FileScanSource.heldOpen(inputFiles)), parties, settings, recalls);

            long bytes = ReplayCommand.totalBytes(inputFiles);
            ProgressLine progress = quiet ? null : ProgressLine.start(err, "bootstrap", bytes);
            ReplayJob.Result result;
            try {
                result = BootstrapJob.run(scratch.forFlink(new Configuration()), config, parallelism, inputs, outputs, stagedSavepoint);
            } finally {
                if (progress != null) {
                    progress.stop();
                }
            }
            if (result.recordsRead() > 0 && result.scansRead() == 0) {
                staged.commitOnly(deadLetterFile);
                throw new UsageException("not a scan file: none of the " + result.recordsRead() + " records of the input is a scan event; why, per record: "
                        + deadLetterFile);
            }
            staged.commit();
            if (!quiet) {
                out.println(summary(result, alertsFile == null ? null : FinalAlerts.read(alertsFile), savepoint, alertsFile, deadLetterFile));
            }
            return 0;
        }
    }

    private static String summary(ReplayJob.Result result, FinalAlerts alerts, Path savepoint, Path alertsFile, Path deadLetterFile) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "bootstrap: %s read, %s, %s raised, %s retracted, %.1f s, %,.0f records/s%n",
                Terminal.count(result.recordsRead(), "record"), Terminal.count(result.deadLetters(), "dead letter"),
                Terminal.count(result.alertsRaised(), "alert"), Terminal.count(result.alertsRetracted(), "alert"), result.seconds(),
                result.recordsRead() / Math.max(result.seconds(), 1e-3)));
        text.append("  savepoint: ").append(savepoint).append(" (start the live job from it: run --from-savepoint ").append(savepoint).append(')');
        if (alerts != null) {
            text.append(String.format(Locale.ROOT, "%n  alerts: %s (%s standing)", alertsFile, Terminal.count(alerts.standing().size(), "alert")));
        }
        text.append(String.format(Locale.ROOT, "%n  dead letters: %s", deadLetterFile));
        return text.toString();
    }
}
