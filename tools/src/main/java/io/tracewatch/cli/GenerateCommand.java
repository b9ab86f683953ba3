package io.tracewatch.cli;

import io.tracewatch.generate.GeneratedFiles;
import io.tracewatch.generate.Recalls;
import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.io.kafka.KafkaClientProperties;
import io.tracewatch.io.kafka.KafkaPreflight;
import io.tracewatch.io.kafka.KafkaSettings;
import io.tracewatch.job.TracewatchConfig;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/** {@code generate}: writes realistic scan traffic with injected anomalies, and its ground truth. */
final class GenerateCommand implements Command {
    @Override
    public String name() {
        return "generate";
    }

    @Override
    public String summary() {
        return "generate scan traffic with injected anomalies and a ground-truth labels file";
    }

    @Override
    public Options options() {
        return ConfigOptions.add(new Options(name(), summary()))
                .value("output", "FILE", "scan events as JSON Lines, in upload order (.gz to compress)")
                .value("topic", "NAME", "send the scan events to this Kafka topic instead (kafka.bootstrap_servers), keyed by code")
                .value("rate", "N", "with --topic: scans sent per second (default: as fast as the broker takes them)")
                .value("labels", "FILE", "alerts the traffic must raise (default: beside the output, .labels.jsonl)")
                .value("codes", "N", "packs to generate (default 1000; about 7 scans each)")
                .value("seed", "N", "random seed; the same seed gives the same traffic (default 1)")
                .value("anomaly-rate", "R", "share of packs with an injected anomaly (default 0.05)")
                .value("late-rate", "R", "share of scans uploaded hours to days late (default 0.02)")
                .value("duplicate-rate", "R", "share of scans uploaded twice (default 0.02)")
                .value("malformed-rate", "R", "malformed records per pack (default 0.002)")
                .value("recalls", "FILE", "also write the world's recall list here, and draw packs of its recalled batches (replay --recalls)");
    }

    @Override
    public int run(Options.Parsed args, PrintStream out, PrintStream err) throws Exception {
        if (args.has("output") == args.has("topic")) {
            throw new UsageException("give --output FILE or --topic NAME");
        }
        if (args.has("rate") && args.has("output")) {
            throw new UsageException("--rate goes with --topic: a file is written as fast as it can be");
        }
        // loaded for both targets: a wrong --config or --set is reported, never ignored
        TracewatchConfig config = ConfigOptions.load(args);
        Path output = args.has("output") ? Paths.get(args.get("output", null)) : null;
        if (output != null && output.getFileName().toString().endsWith(".avro")) {
            throw new UsageException("--output: generate writes JSON Lines (.jsonl, or .jsonl.gz to compress), not Avro");
        }
        Path labels = Paths.get(args.get("labels", output == null ? "labels.jsonl" : siblingLabels(output).toString()));
        ScanGenerator.Settings defaults = ScanGenerator.Settings.defaults(args.wholeNumber("seed", 1), args.positiveInt("codes", 1000));
        ScanGenerator.Settings settings = new ScanGenerator.Settings(
                defaults.seed(),
                defaults.codes(),
                args.share("anomaly-rate", defaults.anomalyRate()),
                args.share("late-rate", defaults.lateRate()),
                args.share("duplicate-rate", defaults.duplicateRate()),
                args.share("malformed-rate", defaults.malformedRate()),
                defaults.start(),
                defaults.codeSpacingSeconds(),
                args.has("recalls"));
        GeneratedFiles.Written written;
        // written under temporary names, renamed when complete: a killed run leaves no truncated file, and no file is written twice
        try (StagedFiles staged = new StagedFiles(List.of())) {
            Path scansFile = output == null ? null : staged.stage("--output", output);
            Path labelsFile = staged.stage("--labels", labels);
            if (args.has("recalls")) {
                Files.write(staged.stage("--recalls", Paths.get(args.get("recalls", null))), Recalls.of(settings.seed(), settings.start()),
                        StandardCharsets.UTF_8);
            }
            if (output != null) {
                written = GeneratedFiles.write(settings, scansFile, labelsFile);
            } else {
                KafkaSettings kafka = config.kafka();
                KafkaPreflight.check(kafka, KafkaClientProperties.load(kafka), List.of(args.get("topic", null)));
                written = GeneratedFiles.send(settings, kafka.bootstrapServers(), KafkaClientProperties.load(kafka), args.get("topic", null),
                        args.positiveInt("rate", Integer.MAX_VALUE), labelsFile);
            }
            staged.commit();
        }
        out.printf("generate: %d records (%d malformed) for %d packs, %d expected alerts%n  scans: %s%n  labels: %s%n",
                written.records(), written.malformed(), settings.codes(), written.labels(),
                output != null ? output : "topic " + args.get("topic", null), labels);
        return 0;
    }

    static Path siblingLabels(Path output) {
        String name = output.getFileName().toString().replaceFirst("(\\.jsonl)?(\\.gz)?$", "");
        return output.resolveSibling(name + ".labels.jsonl");
    }
}
