package io.tracewatch.cli;

import io.tracewatch.feed.FeedBackend;
import io.tracewatch.feed.TopicFollower;
import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.io.kafka.KafkaClientProperties;
import io.tracewatch.io.kafka.KafkaClients;
import io.tracewatch.io.kafka.KafkaPreflight;
import io.tracewatch.io.kafka.KafkaSettings;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.CustodyEvent;
import io.tracewatch.model.StandingAlert;
import io.tracewatch.model.Verification;
import io.tracewatch.model.VerifyRequest;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code verify}: for an inspector at a terminal, asks the running job about codes (verification
 * requests, cases.md) and prints each answer: the custody chain in event-time order, the standing
 * alerts, and the upstream holders before the first consumption.
 */
final class VerifyCommand implements Command {
    @Override
    public String name() {
        return "verify";
    }

    @Override
    public String summary() {
        return "ask the running job about codes: custody chain, standing alerts, upstream holders";
    }

    @Override
    public Options options() {
        return ConfigOptions.add(new Options(name(), summary()))
                .repeatable("code", "CODE", "a traceability code to verify")
                .value("reason", "TEXT", "why, e.g. 'settled twice' (sent with the request)")
                .value("requested-by", "NAME", "who asks (default: the user name)")
                .value("timeout", "SECONDS", "how long to wait for the answers (default 30)")
                .flag("json", "print the answers as JSON Lines");
    }

    @Override
    public int run(Options.Parsed args, PrintStream out, PrintStream err) throws Exception {
        List<String> codes = args.all("code");
        if (codes.isEmpty()) {
            throw new UsageException("--code is required");
        }
        for (String code : codes) {
            if (!code.matches("[0-9A-Za-z]{8,64}")) {
                throw new UsageException("--code " + Terminal.safe(code) + " is not a traceability code (8-64 characters of [0-9A-Za-z])");
            }
        }
        int timeout = args.positiveInt("timeout", 30);
        TracewatchConfig config = ConfigOptions.load(args);
        KafkaSettings kafka = config.kafka();
        Properties client = KafkaClientProperties.load(kafka);
        KafkaPreflight.check(kafka, client, List.of(kafka.verifyRequestsTopic(), kafka.verificationsTopic()));
        String requestedBy = args.get("requested-by", System.getProperty("user.name", "inspector"));
        Map<String, String> requests = new LinkedHashMap<>();
        codes.forEach(code -> requests.put("cli-" + UUID.randomUUID(), code));
        Map<String, Verification> answers = new LinkedHashMap<>();
        CountDownLatch answered = new CountDownLatch(requests.size());
        Instant asked = Instant.now().minusSeconds(5);
        try (TopicFollower<Verification> follower = new TopicFollower<>(kafka, client, kafka.verificationsTopic(), asked,
                FeedBackend.decoder(kafka, Verification.class, b -> Verification.getDecoder().decode(b)), answer -> {
                    synchronized (answers) {
                        if (requests.containsKey(answer.getRequestId()) && answers.put(answer.getRequestId(), answer) == null) {
                            answered.countDown();
                        }
                    }
                }).start();
                KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(client, kafka.bootstrapServers())) {
            for (Map.Entry<String, String> request : requests.entrySet()) {
                VerifyRequest record = VerifyRequest.newBuilder().setRequestId(request.getKey()).setCode(request.getValue())
                        .setRequestedBy(requestedBy).setReason(args.get("reason", null)).build();
                producer.send(new ProducerRecord<>(kafka.verifyRequestsTopic(), request.getValue().getBytes(StandardCharsets.UTF_8),
                        RecordJson.encode(record).getBytes(StandardCharsets.UTF_8))).get();
            }
            if (!answered.await(timeout, TimeUnit.SECONDS)) {
                err.printf("tracewatch verify: %d of %d answers within %d s: is the job running (tracewatch run)?%n",
                        answers.size(), requests.size(), timeout);
            }
        }
        synchronized (answers) {
            for (Map.Entry<String, String> request : requests.entrySet()) {
                Verification answer = answers.get(request.getKey());
                if (answer != null) {
                    out.println(args.has("json") ? RecordJson.encode(answer) : describe(answer));
                }
            }
            return answers.size() == requests.size() ? 0 : Main.EXIT_FAILURE;
        }
    }

    private static String describe(Verification answer) {
        StringBuilder text = new StringBuilder("code ").append(Terminal.safe(answer.getCode()));
        if (!answer.getKnown()) {
            return text.append(": never seen by tracewatch").toString();
        }
        text.append(": ").append(answer.getCustody().size()).append(" scans, upstream holders ")
                .append(Terminal.safe(String.join(", ", answer.getUpstream()))).append('\n');
        for (CustodyEvent event : answer.getCustody()) {
            boolean upstream = answer.getUpstream().contains(event.getPartyId());
            text.append(String.format("  %s %s %-9s %s%s%s%n", upstream ? "*" : " ", RecordJson.time(event.getEventTime()), event.getEventType(),
                    Terminal.safe(event.getPartyId()), event.getRegion() == null ? "" : " (" + Terminal.safe(event.getRegion()) + ")",
                    event.getCounterpartyId() == null ? "" : " <-> " + Terminal.safe(event.getCounterpartyId())));
        }
        if (answer.getStandingAlerts().isEmpty()) {
            text.append("  no standing alert");
        }
        for (StandingAlert alert : answer.getStandingAlerts()) {
            text.append("  alert ").append(alert.getRule()).append(" on ").append(Terminal.safe(alert.getTriggerEventId()))
                    .append(" (").append(alert.getAlertId()).append(")\n");
        }
        return text.toString().stripTrailing();
    }
}
