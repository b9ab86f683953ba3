package io.tracewatch.cli;

import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.io.file.FileReferenceSource;
import io.tracewatch.io.kafka.KafkaClientProperties;
import io.tracewatch.io.kafka.KafkaClients;
import io.tracewatch.io.kafka.KafkaPreflight;
import io.tracewatch.io.kafka.KafkaSettings;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.PartyRecord;
import io.tracewatch.model.internal.ReferenceRecord;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code parties}: loads a party register (一企一档), JSON Lines or CSV, into the compacted parties
 * topic, keyed by party_id. Every record is checked first: one broken record stops the load, with
 * its line and reason, so that a typo never publishes half a register.
 */
final class PartiesCommand implements Command {
    @Override
    public String name() {
        return "parties";
    }

    @Override
    public String summary() {
        return "load a party register (JSON Lines or CSV) into the parties topic";
    }

    @Override
    public Options options() {
        return ConfigOptions.add(new Options(name(), summary()))
                .value("input", "FILE", "party records: JSON Lines, or CSV with a header row of field names")
                .flag("check", "only check the file; publish nothing");
    }

    @Override
    public int run(Options.Parsed args, PrintStream out, PrintStream err) throws Exception {
        Path input = Paths.get(args.required("input"));
        if (!Files.isReadable(input) || Files.isDirectory(input)) {
            throw new UsageException("--input: cannot read " + input);
        }
        List<ReferenceRecord> records = FileReferenceSource.readParties(input);
        List<ReferenceRecord> broken = records.stream().filter(r -> r.getDeadLetter() != null).toList();
        for (ReferenceRecord record : broken) {
            err.printf("tracewatch parties: %s line %d: %s%n", input, record.getDeadLetter().getPosition(), record.getDeadLetter().getReason());
        }
        if (!broken.isEmpty()) {
            err.printf("tracewatch parties: %d of %d records broken: nothing published%n", broken.size(), records.size());
            return Main.EXIT_USAGE;
        }
        if (records.isEmpty()) {
            throw new UsageException(input + " holds no party record");
        }
        if (args.has("check")) {
            out.printf("parties: %d records in %s, all valid%n", records.size(), input);
            return 0;
        }
        TracewatchConfig config = ConfigOptions.load(args);
        KafkaSettings kafka = config.kafka();
        Properties client = KafkaClientProperties.load(kafka);
        KafkaPreflight.check(kafka, client, List.of(kafka.partiesTopic()));
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(client, kafka.bootstrapServers())) {
            for (ReferenceRecord record : records) {
                PartyRecord party = record.getParty();
                producer.send(new ProducerRecord<>(kafka.partiesTopic(), party.getPartyId().getBytes(StandardCharsets.UTF_8),
                        RecordJson.encode(party).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
        out.printf("parties: %d party versions published to %s at %s%n", records.size(), kafka.partiesTopic(), kafka.bootstrapServers());
        return 0;
    }
}
