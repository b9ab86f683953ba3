package io.tracewatch.cli;

import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.io.kafka.KafkaClientProperties;
import io.tracewatch.io.kafka.KafkaClients;
import io.tracewatch.io.kafka.KafkaPreflight;
import io.tracewatch.io.kafka.KafkaSettings;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.internal.ReferenceRecord;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A command that loads a reference list from a file into its compacted topic, keyed by id, all or
 * nothing: every record is checked first, and one broken record stops the load with its line and
 * reason, so that a typo never publishes half a list. {@code --check} only checks.
 */
abstract class ReferenceListCommand implements Command {
    /** Broken records listed one per line; past these, a count. */
    private static final int LISTED_AT_MOST = 20;

    /** What the records are called in messages, e.g. "party record". */
    abstract String noun();

    /** The file's records, each a version or a dead letter that says why it is not one. */
    abstract List<ReferenceRecord> read(Path input);

    abstract String topic(KafkaSettings kafka);

    /** The record a reference record holds, and its key in the topic. */
    abstract SpecificRecord value(ReferenceRecord record);

    abstract String key(ReferenceRecord record);

    /** Help for {@code --input}. */
    abstract String inputHelp();

    @Override
    public Options options() {
        return ConfigOptions.add(new Options(name(), summary()))
                .value("input", "FILE", inputHelp())
                .flag("check", "only check the file; publish nothing");
    }

    @Override
    public int run(Options.Parsed args, PrintStream out, PrintStream err) throws Exception {
        Path input = Paths.get(args.required("input"));
        if (!Files.isReadable(input) || Files.isDirectory(input)) {
            throw new UsageException("--input: cannot read " + input);
        }
        List<ReferenceRecord> records;
        try {
            records = read(input);
        } catch (IllegalArgumentException e) {
            throw new UsageException(input + ": " + e.getMessage());
        }
        List<ReferenceRecord> broken = records.stream().filter(r -> r.getDeadLetter() != null).toList();
        for (ReferenceRecord record : broken.subList(0, Math.min(broken.size(), LISTED_AT_MOST))) {
            err.printf("tracewatch %s: %s line %d: %s%n", name(), input, record.getDeadLetter().getPosition(), record.getDeadLetter().getReason());
        }
        if (broken.size() > LISTED_AT_MOST) {
            err.printf("tracewatch %s: ... and %d more broken records%n", name(), broken.size() - LISTED_AT_MOST);
        }
        if (!broken.isEmpty()) {
            err.printf("tracewatch %s: %d of %d records broken: nothing published%n", name(), broken.size(), records.size());
            return Main.EXIT_USAGE;
        }
        if (records.isEmpty()) {
            throw new UsageException(input + " holds no " + noun());
        }
        if (args.has("check")) {
            out.printf("%s: %d records in %s, all valid%n", name(), records.size(), input);
            return 0;
        }
        TracewatchConfig config = ConfigOptions.load(args);
        KafkaSettings kafka = config.kafka();
        Properties client = KafkaClientProperties.load(kafka);
        KafkaPreflight.check(kafka, client, List.of(topic(kafka)));
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(client, kafka.bootstrapServers())) {
            for (ReferenceRecord record : records) {
                producer.send(new ProducerRecord<>(topic(kafka), key(record).getBytes(StandardCharsets.UTF_8),
                        RecordJson.encode(value(record)).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
        out.printf("%s: %d versions published to %s at %s%n", name(), records.size(), topic(kafka), kafka.bootstrapServers());
        return 0;
    }
}
