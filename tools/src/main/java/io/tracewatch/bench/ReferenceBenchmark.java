package io.tracewatch.bench;

import io.tracewatch.embedded.EmbeddedKafka;
import io.tracewatch.generate.Register;
import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.io.codec.ReferenceJson;
import io.tracewatch.io.file.FileReferenceSource;
import io.tracewatch.io.file.FileScanSource;
import io.tracewatch.io.kafka.KafkaClients;
import io.tracewatch.io.kafka.KafkaReferenceSource;
import io.tracewatch.io.ports.Inputs;
import io.tracewatch.io.ports.Outputs;
import io.tracewatch.job.DetectionTopology;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.Alert;
import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.PartyRecord;
import io.tracewatch.model.internal.ReferenceVersions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What the register and the case stage cost: the whole pipeline with and without a register
 * (the fourth rule and the trusted regions), the case stage against detection alone, the bytes a
 * party takes in broadcast state, and the time to read a register of many parties at start.
 */
final class ReferenceBenchmark {
    private final Benchmarks bench;
    private final Path work;
    private final PrintStream log;

    ReferenceBenchmark(Benchmarks bench, Path work, PrintStream log) {
        this.bench = bench;
        this.work = work;
        this.log = log;
    }

    /** The pipeline with cases: detection only, then with the case stage, then with a register too. */
    List<Result> enrichment(long events) throws Exception {
        Path file = bench.traffic(events);
        long records = Benchmarks.lines(file);
        Path register = work.resolve("register.jsonl");
        Files.write(register, Register.of(Benchmarks.TRAFFIC_SEED, ScanGenerator.Settings.defaults(Benchmarks.TRAFFIC_SEED, 1).start()));
        log.println("  enrichment: warming up...");
        run(file, false, null);
        log.println("  enrichment: detection alone...");
        Result alone = Result.of("enrichment", "detection, no cases, no register", records, run(file, false, null));
        log.println("  enrichment: with the case stage...");
        Result cases = Result.of("enrichment", "+ case stage", records, run(file, true, null));
        cases.with("of_detection", cases.eventsPerSecond() / alone.eventsPerSecond());
        log.println("  enrichment: with the case stage and a register...");
        Result withRegister = Result.of("enrichment", "+ register (4th rule, trusted regions)", records, run(file, true, register));
        withRegister.with("of_detection", withRegister.eventsPerSecond() / alone.eventsPerSecond());
        return List.of(alone, cases, withRegister);
    }

    private double run(Path scans, boolean cases, Path register) throws Exception {
        TracewatchConfig config = bench.config("job.state_backend=rocksdb");
        StreamExecutionEnvironment env = bench.environment(config, false);
        Inputs inputs = Inputs.of(new FileScanSource(List.of(scans)));
        if (register != null) {
            inputs = inputs.withReference(FileReferenceSource.read(register, null));
        }
        if (cases) {
            DetectionTopology.build(env, config, inputs, new Discarding());
        } else {
            DetectionTopology.detect(env, config, DetectionTopology.decode(env, config, new FileScanSource(List.of(scans))), true)
                    .sinkTo(new DiscardingSink<>());
        }
        return env.execute("bench enrichment").getNetRuntime(TimeUnit.MILLISECONDS) / 1000.0;
    }

    /** Everything discarded: what is measured is the pipeline, not a sink. */
    private static final class Discarding implements Outputs {
        @Override
        public void alerts(DataStream<Alert> alerts) {
            alerts.sinkTo(new DiscardingSink<>()).name("alerts discarded");
        }

        @Override
        public void deadLetters(DataStream<DeadLetter> deadLetters) {
            deadLetters.sinkTo(new DiscardingSink<>()).name("dead letters discarded");
        }
    }

    /**
     * A register of {@code parties} parties (one version each, templated on the generated world's):
     * the bytes each takes in the detector's broadcast state (Avro binary, as its serializer writes
     * it, per subtask) and the time the live job takes at start to read the parties topic to its end.
     */
    Result register(int parties) throws Exception {
        List<String> template = Register.of(Benchmarks.TRAFFIC_SEED, ScanGenerator.Settings.defaults(Benchmarks.TRAFFIC_SEED, 1).start());
        List<byte[]> lines = new ArrayList<>(parties);
        long stateBytes = 0;
        SpecificDatumWriter<ReferenceVersions> writer = new SpecificDatumWriter<>(ReferenceVersions.class);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        for (int i = 0; i < parties; i++) {
            String base = template.get(i % template.size());
            String id = String.format("PH-1201%02d-%06d", i % 16 + 1, i);
            String line = base.replaceFirst("\"party_id\":\"[^\"]+\"", "\"party_id\":\"" + id + "\"");
            lines.add(line.getBytes(StandardCharsets.UTF_8));
            PartyRecord party = ReferenceJson.decode(ReferenceJson.Kind.PARTY, lines.get(i), new DeadLetters.Origin("bench", i, null)).getParty();
            buffer.reset();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(buffer, null);
            writer.write(ReferenceVersions.newBuilder().setParties(List.of(party)).setSettings(List.of()).build(), encoder);
            encoder.flush();
            // the key (party_id) beside the value, as the map state holds it
            stateBytes += buffer.size() + id.length() + 1;
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            TracewatchConfig config = bench.config("kafka.bootstrap_servers=" + kafka.bootstrapServers());
            kafka.createTopics(config.kafka(), 1);
            log.printf("  register: publishing %,d parties...%n", parties);
            try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(kafka.bootstrapServers())) {
                for (int i = 0; i < parties; i++) {
                    producer.send(new ProducerRecord<>(config.kafka().partiesTopic(), ("p" + i).getBytes(StandardCharsets.UTF_8), lines.get(i)));
                }
                producer.flush();
            }
            log.println("  register: reading it to its end, as the job does at start...");
            long started = System.nanoTime();
            KafkaReferenceSource.read(config.kafka(), new Properties(), true);
            double seconds = (System.nanoTime() - started) / 1e9;
            return Result.of("register", parties + " parties read at start", parties, seconds)
                    .with("broadcast_bytes_per_party", (double) stateBytes / parties)
                    .with("broadcast_mib_per_subtask", stateBytes / 1024.0 / 1024.0);
        }
    }
}
