package io.tracewatch.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewatch.alert.AlertDiff;
import io.tracewatch.alert.FinalAlerts;
import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.io.codec.ReferenceJson;
import io.tracewatch.io.kafka.KafkaClientProperties;
import io.tracewatch.io.kafka.KafkaClients;
import io.tracewatch.io.kafka.KafkaPreflight;
import io.tracewatch.io.kafka.KafkaSettings;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.SettingsRecord;
import io.tracewatch.model.internal.ReferenceRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code settings}: publishes a new version of the rule settings to the settings topic, to apply
 * from its version_time (contract reference-data.md). {@code --dry-run} first replays a window of
 * history with the versions published so far, and again with the new one, and prints what the new
 * version would add and remove, publishing nothing.
 */
final class SettingsCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "settings";
    }

    @Override
    public String summary() {
        return "publish a new rule settings version; --dry-run shows the alerts it would change first";
    }

    @Override
    public Options options() {
        return ConfigOptions.add(new Options(name(), summary()))
                .value("input", "FILE", "the new versions, one JSON object each: {settings_id, version_time, max_speed_kmh?, location_slack_km?, severity?, rules_enabled?, actor, note?}")
                .flag("dry-run", "replay --history with and without the new version and print the alert diff; publish nothing")
                .repeatable("history", "PATH", "with --dry-run: the scans to replay (files, a directory or a glob)")
                .value("current", "FILE", "with --dry-run: the settings versions in force (default: read from the settings topic)")
                .value("parties", "FILE", "with --dry-run: the party register to replay with");
    }

    @Override
    public int run(Options.Parsed args, PrintStream out, PrintStream err) throws Exception {
        Path input = Paths.get(args.required("input"));
        if (!Files.isReadable(input) || Files.isDirectory(input)) {
            throw new UsageException("--input: cannot read " + input);
        }
        List<SettingsRecord> versions = versions(input);
        TracewatchConfig config = ConfigOptions.load(args);
        KafkaSettings kafka = config.kafka();
        if (args.has("dry-run")) {
            if (args.all("history").isEmpty()) {
                throw new UsageException("--dry-run needs --history: the scans to replay");
            }
            List<String> current = args.has("current") ? Files.readAllLines(Paths.get(args.get("current", null)), StandardCharsets.UTF_8)
                    : published(kafka, KafkaClientProperties.load(kafka));
            return dryRun(args, config, current, versions.stream().map(RecordJson::encode).toList(), out, err);
        }
        for (String dryRunOnly : List.of("history", "current", "parties")) {
            if (args.has(dryRunOnly)) {
                throw new UsageException("--" + dryRunOnly + " goes with --dry-run; without it the versions are published live");
            }
        }
        for (SettingsRecord version : versions) {
            if (version.getVersionTime().isBefore(Instant.now())) {
                err.printf("tracewatch settings: version %s: version_time %s is in the past: events judged before now keep the settings they "
                        + "were judged with; a replay with the final versions shows the difference (settings --dry-run)%n",
                        Terminal.safe(version.getSettingsId()), RecordJson.time(version.getVersionTime()));
            }
        }
        Properties client = KafkaClientProperties.load(kafka);
        KafkaPreflight.check(kafka, client, List.of(kafka.settingsTopic()));
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(client, kafka.bootstrapServers())) {
            for (SettingsRecord version : versions) {
                producer.send(new ProducerRecord<>(kafka.settingsTopic(), version.getSettingsId().getBytes(StandardCharsets.UTF_8),
                        RecordJson.encode(version).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
        for (SettingsRecord version : versions) {
            out.printf("settings: version %s from %s published to %s%n", Terminal.safe(version.getSettingsId()),
                    RecordJson.time(version.getVersionTime()), kafka.settingsTopic());
        }
        return 0;
    }

    /**
     * Every settings version in the file: JSON objects one after another (JSON Lines, or one object
     * over several lines). One broken version refuses them all, naming its line.
     */
    static List<SettingsRecord> versions(Path input) throws IOException {
        List<SettingsRecord> versions = new ArrayList<>();
        try (JsonParser parser = JSON.getFactory().createParser(input.toFile())) {
            while (true) {
                int line;
                JsonNode node;
                try {
                    if (parser.nextToken() == null) {
                        break;
                    }
                    line = parser.currentTokenLocation().getLineNr();
                    node = JSON.readTree(parser);
                } catch (JsonProcessingException e) {
                    throw new UsageException(input + " line " + e.getLocation().getLineNr() + ": not JSON (" + Terminal.safe(e.getOriginalMessage()) + ")");
                }
                ReferenceRecord parsed = ReferenceJson.decode(ReferenceJson.Kind.SETTINGS, JSON.writeValueAsBytes(node),
                        new DeadLetters.Origin(input.toString(), line, null));
                if (parsed.getSettings() == null) {
                    throw new UsageException(input + " line " + line + ": " + parsed.getDeadLetter().getReason() + "; nothing published");
                }
                versions.add(parsed.getSettings());
            }
        }
        if (versions.isEmpty()) {
            throw new UsageException(input + " holds no settings record");
        }
        return versions;
    }

    /** The settings versions on the topic, as JSON lines. */
    private static List<String> published(KafkaSettings kafka, Properties client) {
        KafkaPreflight.check(kafka, client, List.of(kafka.settingsTopic()));
        List<String> lines = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.committedReader(client, kafka.bootstrapServers())) {
            List<TopicPartition> partitions = consumer.partitionsFor(kafka.settingsTopic(), Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        lines.add(new String(record.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return lines;
    }

    private static int dryRun(Options.Parsed args, TracewatchConfig config, List<String> current, List<String> next, PrintStream out,
            PrintStream err) throws Exception {
        Path work = Files.createTempDirectory("tracewatch-settings-");
        Path before = Files.write(work.resolve("settings-before.jsonl"), current, StandardCharsets.UTF_8);
        List<String> withNew = new ArrayList<>(current);
        withNew.addAll(next);
        Path after = Files.write(work.resolve("settings-after.jsonl"), withNew, StandardCharsets.UTF_8);
        FinalAlerts old = replay(args, before, work.resolve("before.jsonl"), err);
        FinalAlerts changed = replay(args, after, work.resolve("after.jsonl"), err);
        out.printf("settings --dry-run: %d alerts standing with the versions in force, %d with the %s%n",
                old.standing().size(), changed.standing().size(), next.size() == 1 ? "new one" : next.size() + " new ones");
        AlertDiff.between(old, changed).print(out);
        out.println("nothing published (dry run)");
        return 0;
    }

    private static FinalAlerts replay(Options.Parsed args, Path settings, Path output, PrintStream err) throws Exception {
        List<String> replay = new ArrayList<>(List.of("replay", "--output", output.toString(), "--settings", settings.toString(), "--quiet"));
        for (String history : args.all("history")) {
            replay.add("--input");
            replay.add(history);
        }
        if (args.has("parties")) {
            replay.add("--parties");
            replay.add(args.get("parties", null));
        }
        if (args.has("config")) {
            replay.add("--config");
            replay.add(args.get("config", null));
        }
        for (String setting : args.all("set")) {
            replay.add("--set");
            replay.add(setting);
        }
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        int exit = Main.run(replay.toArray(String[]::new), new PrintStream(messages, true, StandardCharsets.UTF_8),
                new PrintStream(messages, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            err.print(messages.toString(StandardCharsets.UTF_8));
            throw new UsageException("the dry run's replay failed");
        }
        return FinalAlerts.read(output);
    }
}
