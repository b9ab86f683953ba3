package io.tracewatch.cli;

import io.tracewatch.alert.AlertDiff;
import io.tracewatch.alert.FinalAlerts;
import io.tracewatch.embedded.ScratchDirectory;
import io.tracewatch.io.codec.ReferenceJson;
import io.tracewatch.io.file.FileOutputs;
import io.tracewatch.io.file.FileReferenceSource;
import io.tracewatch.io.file.FileRequestSource;
import io.tracewatch.io.file.FileScanSource;
import io.tracewatch.io.file.InputFiles;
import io.tracewatch.io.file.ReplayProgress;
import io.tracewatch.io.file.ScanFileFormat;
import io.tracewatch.io.kafka.KafkaClientProperties;
import io.tracewatch.io.kafka.KafkaOutputs;
import io.tracewatch.io.kafka.KafkaPreflight;
import io.tracewatch.io.kafka.KafkaRange;
import io.tracewatch.io.kafka.KafkaScanSource;
import io.tracewatch.io.kafka.KafkaSettings;
import io.tracewatch.io.ports.Inputs;
import io.tracewatch.io.ports.Outputs;
import io.tracewatch.io.ports.ScanSource;
import io.tracewatch.job.ReplayJob;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.model.internal.ReferenceRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;

/**
 * {@code replay}: recorded scan events through the same pipeline as the live job, on an embedded
 * Flink: from files or a range of a Kafka topic, to files or a topic.
 */
final class ReplayCommand implements Command {
    /** Subtasks the embedded Flink's default network memory carries. */
    private static final int MAX_PARALLELISM = 64;
    private static final List<String> INPUT_SUFFIXES = List.of(".jsonl", ".jsonl.gz", ".json", ".json.gz", ".avro");

    enum Mode { BATCH, STREAMING }

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public String summary() {
        return "run recorded scan events (files or a Kafka range) through the detector; write alerts";
    }

    @Override
    public Options options() {
        return ConfigOptions.add(new Options(name(), summary()))
                .repeatable("input", "PATH", "scan events: a .jsonl(.gz) or .avro file, a directory of them, or a glob")
                .value("topic", "NAME", "read scan events from this Kafka topic instead (kafka.bootstrap_servers, kafka.scan_format)")
                .value("from", "POSITION", "with --topic: earliest (default), an instant, epoch millis or offsets:P=O,...")
                .value("to", "POSITION", "with --topic: latest (default), an instant, epoch millis or offsets:P=O,...")
                .value("output", "FILE", "alerts (RAISED and RETRACTED records): .jsonl, or .avro for an Avro container file")
                .value("dead-letter", "FILE", "dead letters (default: beside the output, .dead-letter.jsonl or .avro)")
                .value("cases", "FILE", "also write case records (every version; the last per case_id is the case): .jsonl or .avro")
                .value("leads", "FILE", "also write insurance leads (RAISED and RETRACTED): .jsonl or .avro")
                .value("parties", "FILE", "a party register (JSON Lines or CSV): UNLICENSED_CHANNEL, trusted regions, registered locations")
                .value("settings", "FILE", "rule settings versions (JSON Lines), each applying from its version_time")
                .value("recalls", "FILE", "a recall list (JSON Lines recall records): RECALLED_PACK")
                .value("verify", "REQUESTS", "verification requests ({request_id, code, requested_by, reason} per line), answered after the whole input")
                .value("verifications", "FILE", "where the answers to --verify go (JSON Lines)")
                .value("output-topic", "NAME", "write alerts to this Kafka topic instead of a file (dead letters to kafka.dead_letter_topic)")
                .value("mode", "batch|streaming", "Flink runtime mode (default batch: each code sorted and judged once, fastest)")
                .value("parallelism", "N", "parallel subtasks, at most 64 (default: number of cores)")
                .value("diff", "OLD_ALERTS", "print the alerts this run adds and removes compared with an earlier alerts file")
                .flag("quiet", "print nothing but errors");
    }

    @Override
    public int run(Options.Parsed args, PrintStream out, PrintStream err) throws Exception {
        TracewatchConfig config = ConfigOptions.load(args);
        Mode mode = args.choice("mode", Mode.class, Mode.BATCH);
        List<Path> inputFiles = args.all("input").isEmpty() ? List.of() : resolveInputs(args.all("input"));
        ScanSource source = source(args, config, mode, inputFiles);
        Path oldAlertsFile = args.has("diff") ? existingFile("--diff", args.get("diff", null)) : null;
        // read now: a wrong file fails before the replay, and the old alerts may be the file this run replaces
        FinalAlerts oldAlerts = oldAlertsFile == null ? null : readAlerts("--diff", oldAlertsFile);
        if (args.has("verify") != args.has("verifications")) {
            throw new UsageException("--verify and --verifications go together");
        }
        Path requests = args.has("verify") ? existingFile("--verify", args.get("verify", null)) : null;
        Path parties = args.has("parties") ? existingFile("--parties", args.get("parties", null)) : null;
        Path settings = args.has("settings") ? existingFile("--settings", args.get("settings", null)) : null;
        Path recalls = args.has("recalls") ? existingFile("--recalls", args.get("recalls", null)) : null;
        int parallelism = parallelism(args);
        boolean quiet = args.has("quiet");

        try (StagedFiles staged = new StagedFiles(readFiles(inputFiles, requests, parties, settings, recalls)); ScratchDirectory scratch = ScratchDirectory.create("tracewatch-replay-", true)) {
            Outputs outputs;
            Path alertsFile = null;
            Path deadLetterFile = null;
            if (args.has("output-topic")) {
                if (args.has("output")) {
                    throw new UsageException("give --output or --output-topic, not both");
                }
                KafkaSettings kafka = withTopics(config.kafka(), config.kafka().scansTopic(), args.get("output-topic", null));
                Properties client = KafkaClientProperties.load(kafka);
                // checked before any processing: a missing topic fails here with one line, not after the whole replay
                KafkaPreflight.check(kafka, client, List.of(kafka.alertsTopic(), kafka.deadLetterTopic()));
                outputs = new KafkaOutputs(kafka, client).alertsOnly();
            } else {
                alertsFile = Paths.get(args.required("output"));
                deadLetterFile = Paths.get(args.get("dead-letter", defaultDeadLetterPath(alertsFile).toString()));
                FileOutputs files = new FileOutputs(staged.stage("--output", alertsFile), staged.stage("--dead-letter", deadLetterFile));
                withCasesAndLeads(args, staged, files);
                if (args.has("verifications")) {
                    files.withVerifications(staged.stage("--verifications", Paths.get(args.get("verifications", null))));
                }
                outputs = files;
            }

            Inputs inputs = Inputs.of(source);
            if (requests != null) {
                FileRequestSource requestSource = new FileRequestSource(requests);
                requireOneValid("--verify", requests, "verification request", requestSource.requests(), Ingested::getDeadLetter);
                inputs = inputs.withRequests(requestSource);
            }
            inputs = withReference(inputs, parties, settings, recalls);

            ReplayProgress.reset();
            // the progress counts what the file reader reads: from a topic, only the summary at the end counts
            ProgressLine progress = quiet || inputFiles.isEmpty() ? null : ProgressLine.start(err, "replay", totalBytes(inputFiles));
            ReplayJob.Result result;
            try {
                result = ReplayJob.run(scratch.forFlink(new Configuration()), config,
                        mode == Mode.BATCH ? RuntimeExecutionMode.BATCH : RuntimeExecutionMode.STREAMING, parallelism, inputs, outputs);
            } finally {
                if (progress != null) {
                    progress.stop();
                }
            }
            double seconds = result.seconds();
            long read = result.recordsRead();
            if (read > 0 && result.scansRead() == 0 && !inputFiles.isEmpty()) {
                // only the dead letters are kept: they say why each line was refused
                if (deadLetterFile != null) {
                    staged.commitOnly(deadLetterFile);
                }
                throw new UsageException("not a scan file: none of the " + read + " records of "
                        + inputFiles.stream().map(Path::toString).collect(Collectors.joining(", ")) + " is a scan event"
                        + (deadLetterFile == null ? "" : "; why, per record: " + deadLetterFile));
            }
            staged.commit();

            if (alertsFile == null) {
                if (!quiet) {
                    out.printf(Locale.ROOT, "replay: %s read, %s, %s (%,d raised, %,d retracted) written to topic %s, %.1f s, %,.0f records/s%n",
                            Terminal.count(read, "record"), Terminal.count(result.deadLetters(), "dead letter"),
                            Terminal.count(result.alertsRaised() + result.alertsRetracted(), "alert record"), result.alertsRaised(),
                            result.alertsRetracted(), args.get("output-topic", null), seconds, read / Math.max(seconds, 1e-3));
                }
                return 0;
            }
            FinalAlerts alerts = FinalAlerts.read(alertsFile);
            if (!quiet) {
                out.println(summary(read, countRecords(deadLetterFile), alerts, seconds, alertsFile, deadLetterFile));
            }
            if (oldAlerts != null) {
                AlertDiff.between(oldAlerts, alerts).print(out);
            }
            return 0;
        }
    }

    /** The files a run reads: the scan files and whichever of the others are given, so that no output replaces one. */
    static List<Path> readFiles(List<Path> inputFiles, Path... others) {
        List<Path> read = new ArrayList<>(inputFiles);
        for (Path file : others) {
            if (file != null) {
                read.add(file);
            }
        }
        return read;
    }

    /** {@code --cases} and {@code --leads}, when given, staged and written by {@code files}. */
    static void withCasesAndLeads(Options.Parsed args, StagedFiles staged, FileOutputs files) {
        if (args.has("cases")) {
            files.withCases(staged.stage("--cases", Paths.get(args.get("cases", null))));
        }
        if (args.has("leads")) {
            files.withLeads(staged.stage("--leads", Paths.get(args.get("leads", null))));
        }
    }

    /** {@code --parallelism}, by default the number of cores. */
    static int parallelism(Options.Parsed args) {
        int parallelism = args.positiveInt("parallelism", Runtime.getRuntime().availableProcessors());
        if (parallelism > MAX_PARALLELISM) {
            // the embedded Flink would fail later, short of network buffers
            throw new UsageException("--parallelism " + parallelism + ": at most " + MAX_PARALLELISM + " in one process (this machine has "
                    + Runtime.getRuntime().availableProcessors() + " cores)");
        }
        return parallelism;
    }

    /** The scans with the reference data of these files (each may be null), read now and checked. */
    static Inputs withReference(Inputs inputs, Path parties, Path settings, Path recalls) {
        if (parties == null && settings == null && recalls == null) {
            return inputs;
        }
        return inputs.withReference(FileReferenceSource.of(
                parties == null ? null : referenceFile("--parties", parties, ReferenceJson.Kind.PARTY),
                settings == null ? List.of() : referenceFile("--settings", settings, ReferenceJson.Kind.SETTINGS),
                recalls == null ? List.of() : referenceFile("--recalls", recalls, ReferenceJson.Kind.RECALL)));
    }

    /** A reference file's records; refused when none of them is valid, as a file of another kind would be. */
    private static List<ReferenceRecord> referenceFile(String option, Path file, ReferenceJson.Kind kind) {
        List<ReferenceRecord> records;
        try {
            records = kind == ReferenceJson.Kind.PARTY ? FileReferenceSource.readParties(file) : FileReferenceSource.readLines(file, kind);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + file + ": " + e.getMessage());
        }
        requireOneValid(option, file, kind.what(), records, ReferenceRecord::getDeadLetter);
        return records;
    }

    /**
     * Refuses a file that holds records but no valid one: a file of another kind, given by mistake,
     * would pass unseen. An empty file is an empty list (a dry run's settings in force may be none).
     */
    private static <T> void requireOneValid(String option, Path file, String noun, List<T> records, Function<T, DeadLetter> deadLetterOf) {
        if (records.isEmpty() || records.stream().anyMatch(record -> deadLetterOf.apply(record) == null)) {
            return;
        }
        DeadLetter first = deadLetterOf.apply(records.get(0));
        throw new UsageException(String.format("%s: %s is not a file of %ss: none of its %d records is one (line %d: %s)", option, file, noun,
                records.size(), first.getPosition(), Terminal.safe(first.getReason())));
    }

    private static FinalAlerts readAlerts(String option, Path file) {
        try {
            return FinalAlerts.read(file);
        } catch (IOException | RuntimeException e) {
            throw new UsageException(option + ": " + file + " is not an alerts file (" + Terminal.safe(String.valueOf(e.getMessage())) + ")");
        }
    }

    private static ScanSource source(Options.Parsed args, TracewatchConfig config, Mode mode, List<Path> inputFiles) {
        boolean files = !inputFiles.isEmpty();
        if (files == args.has("topic")) {
            throw new UsageException(files ? "give --input or --topic, not both" : "--input or --topic is required");
        }
        if (files) {
            if (args.has("from") || args.has("to")) {
                throw new UsageException("--from and --to go with --topic");
            }
            return new FileScanSource(inputFiles, mode == Mode.BATCH);
        }
        String topic = args.get("topic", null);
        // a replay must not move the live job's committed offsets
        KafkaSettings kafka = withTopics(config.kafka(), topic, config.kafka().alertsTopic());
        kafka = kafka.asRun("tracewatch-replay-" + UUID.randomUUID(), args.get("from", "earliest"), kafka.transactionalIdPrefix() + "-replay");
        Properties client = KafkaClientProperties.load(kafka);
        KafkaRange.Position from;
        KafkaRange.Position to;
        try {
            from = KafkaRange.parse(args.get("from", "earliest"));
            to = KafkaRange.parse(args.get("to", "latest"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        int partitions = KafkaPreflight.partitions(kafka, client, List.of(topic)).get(topic);
        try {
            KafkaRange.check(from, to, topic, partitions);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return new KafkaScanSource(kafka, client, from.initializer(topic), to.initializer(topic));
    }

    private static KafkaSettings withTopics(KafkaSettings kafka, String scans, String alerts) {
        return kafka.withTopics(scans, alerts);
    }

    static List<Path> resolveInputs(List<String> inputs) {
        try {
            List<Path> files = InputFiles.resolve(inputs, INPUT_SUFFIXES);
            for (Path file : files) {
                String problem = ScanFileFormat.problemWith(file);
                if (problem != null) {
                    throw new UsageException(problem);
                }
            }
            if (files.stream().allMatch(ReplayCommand::isEmpty)) {
                throw new UsageException("the input is empty: " + String.join(", ", inputs));
            }
            return files;
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static boolean isEmpty(Path file) {
        try {
            return Files.size(file) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    static Path existingFile(String option, String name) {
        Path path = Paths.get(name);
        if (!Files.isReadable(path) || Files.isDirectory(path)) {
            throw new UsageException(option + ": cannot read " + name);
        }
        return path;
    }

    static long totalBytes(List<Path> files) {
        long total = 0;
        for (Path file : files) {
            try {
                total += Files.size(file);
            } catch (IOException e) {
                return 0;
            }
        }
        return total;
    }

    static Path defaultDeadLetterPath(Path output) {
        String name = output.getFileName().toString();
        String extension = name.endsWith(".avro") ? ".avro" : ".jsonl";
        String stem = name.endsWith(extension) ? name.substring(0, name.length() - extension.length()) : name;
        return output.resolveSibling(stem + ".dead-letter" + extension);
    }

    static long countRecords(Path file) throws IOException {
        if (file.toString().endsWith(".avro")) {
            try (var reader = new org.apache.avro.file.DataFileReader<>(file.toFile(),
                    new org.apache.avro.generic.GenericDatumReader<>())) {
                long count = 0;
                while (reader.hasNext()) {
                    reader.next();
                    count++;
                }
                return count;
            }
        }
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }

    static String summary(long read, long deadLetters, FinalAlerts alerts, double seconds, Path output, Path deadLetter) {
        Map<String, Long> byRule = alerts.countByRule();
        String rules = byRule.isEmpty()
                ? "none"
                : byRule.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT,
                "replay: %s read, %s, %s standing (%s), %s, %.1f s, %,.0f records/s%n"
                        + "  alerts: %s%n  dead letters: %s",
                Terminal.count(read, "record"), Terminal.count(deadLetters, "dead letter"), Terminal.count(alerts.standing().size(), "alert"), rules,
                Terminal.count(alerts.retractions(), "retraction"), seconds, read / Math.max(seconds, 1e-3), output, deadLetter);
    }
}
