package io.tracewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.testing.KafkaBroker;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands of cases, leads and reference data as a user runs them: replay with --cases, --leads,
 * --verify, --parties and --settings; parties into the register topic; settings --dry-run.
 */
class ExchangeCommandsTest {
    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @TempDir
    static Path dir;

    private static MainAccess.Result run(String... args) {
        return MainAccess.capture(args);
    }

    private static Path example(String name) throws URISyntaxException {
        return Paths.get(ExchangeCommandsTest.class.getResource("/contract-examples/" + name + ".scans.jsonl").toURI());
    }

    @Test
    void replayWritesCasesLeadsAndAnswersBesideTheAlerts() throws Exception {
        Path requests = Files.writeString(dir.resolve("requests.jsonl"),
                "{\"request_id\":\"r1\",\"code\":\"86452082603204175804\",\"requested_by\":\"insurance\"}\n"
                        + "{\"request_id\":\"r2\",\"code\":\"86999999999999999999\",\"requested_by\":\"insurance\"}\n");
        MainAccess.Result result = run("replay", "--input", example("20-resale-inbound-after-settlement").toString(), "--output", dir.resolve("a.jsonl").toString(),
                "--cases", dir.resolve("cases.jsonl").toString(), "--leads", dir.resolve("leads.jsonl").toString(),
                "--verify", requests.toString(), "--verifications", dir.resolve("answers.jsonl").toString(), "--quiet");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(Files.readString(dir.resolve("cases.jsonl"))).contains("\"case_id\":\"PH-120105-0027@2026-03\"", "\"alert_count\":3");
        assertThat(Files.readAllLines(dir.resolve("leads.jsonl"))).hasSize(2);
        List<String> answers = Files.readAllLines(dir.resolve("answers.jsonl"));
        assertThat(answers).hasSize(2).anySatisfy(a -> assertThat(a).contains("\"request_id\":\"r2\"", "\"known\":false"))
                .anySatisfy(a -> assertThat(a).contains("\"request_id\":\"r1\"", "\"known\":true", "\"upstream\":[\"PH-120101-0042\"]"));
        assertThat(run("replay", "--input", example("20-resale-inbound-after-settlement").toString(), "--output", dir.resolve("b.jsonl").toString(),
                "--verify", requests.toString()).err()).contains("--verify and --verifications go together");
    }

    @Test
    void replayWithARegisterAndSettingsAnswersTheEngineersWhatIf() throws Exception {
        Path register = Files.writeString(dir.resolve("register.csv"), "party_id,version_time,party_type,region,name,status,licence_valid_to\n"
                + "MF-120113-0002,2020-01-01T00:00:00+08:00,MANUFACTURER,120113,Maker,ACTIVE,2030-12-31\n"
                + "DS-120104-0003,2020-01-01T00:00:00+08:00,DISTRIBUTOR,120104,\"Distributor, Hexi\",ACTIVE,2030-12-31\n");
        Path before = dir.resolve("before.jsonl");
        assertThat(run("replay", "--input", example("17-shipped-by-non-holder").toString(), "--output", before.toString(), "--quiet").exit()).isZero();
        MainAccess.Result whatIf = run("replay", "--input", example("17-shipped-by-non-holder").toString(), "--output", dir.resolve("after.jsonl").toString(),
                "--parties", register.toString(), "--diff", before.toString());
        assertThat(whatIf.exit()).as(whatIf.err()).isZero();
        assertThat(whatIf.out()).contains("+ UNLICENSED_CHANNEL", "not in the register", "UNLICENSED_CHANNEL +");
    }

    @Test
    void partiesRefusesABrokenRegisterWholeAndPublishesAValidOne() throws Exception {
        KAFKA.kafka().createTopic("cli.parties", 1);
        String bootstrap = "kafka.bootstrap_servers=" + KAFKA.kafka().bootstrapServers();
        Path broken = Files.writeString(dir.resolve("broken.jsonl"),
                "{\"party_id\":\"PH-1\",\"version_time\":\"2020-01-01T00:00:00Z\",\"party_type\":\"PHARMACY\",\"region\":\"120101\",\"status\":\"ACTIVE\"}\n"
                        + "{\"party_id\":\"PH-2\",\"version_time\":\"2020-01-01T00:00:00Z\",\"party_type\":\"PHARMACY\",\"region\":\"120101\",\"status\":\"ACTIVE\","
                        + "\"licence_valid_to\":\"2030-02-30\"}\n");
        MainAccess.Result refused = run("parties", "--input", broken.toString(), "--set", bootstrap, "--set", "kafka.parties_topic=cli.parties");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("line 2", "licence_valid_to", "nothing published");
        Path valid = Files.writeString(dir.resolve("valid.jsonl"), Files.readAllLines(broken).get(0) + "\n");
        MainAccess.Result published = run("parties", "--input", valid.toString(), "--set", bootstrap, "--set", "kafka.parties_topic=cli.parties");
        assertThat(published.exit()).as(published.err()).isZero();
        assertThat(KAFKA.topics().readUntil("cli.parties", r -> !r.isEmpty(), Duration.ofSeconds(20)))
                .singleElement().satisfies(r -> assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("PH-1"));
    }

    @Test
    void recallsRefusesABrokenListWholeChecksAValidOneAndPublishesItAndReplayRaisesWhatItRecalls() throws Exception {
        KAFKA.kafka().createTopic("cli.recalls", 1);
        String bootstrap = "kafka.bootstrap_servers=" + KAFKA.kafka().bootstrapServers();
        String recall = "{\"recall_id\":\"RC-1\",\"version_time\":\"2026-01-01T00:00:00+08:00\",\"product_code\":\"8612345\",\"level\":2,"
                + "\"status\":\"ACTIVE\"}";
        Path broken = Files.writeString(dir.resolve("recalls-broken.jsonl"), recall + "\n" + recall.replace("RC-1", "RC-2").replace("\"level\":2", "\"level\":4") + "\n"
                + recall.replace("RC-1", "RC-3").replace(",\"level\"", ",\"batches\":[],\"level\"") + "\n");
        MainAccess.Result refused = run("recalls", "--input", broken.toString(), "--set", bootstrap, "--set", "kafka.recalls_topic=cli.recalls");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("line 2", "level must be 1, 2 or 3", "line 3", "batches", "2 of 3 records broken", "nothing published");

        Path valid = Files.writeString(dir.resolve("recalls.jsonl"), recall + "\n");
        MainAccess.Result checked = run("recalls", "--input", valid.toString(), "--check");
        assertThat(checked.exit()).as(checked.err()).isZero();
        assertThat(checked.out()).contains("1 records", "all valid");
        MainAccess.Result published = run("recalls", "--input", valid.toString(), "--set", bootstrap, "--set", "kafka.recalls_topic=cli.recalls");
        assertThat(published.exit()).as(published.err()).isZero();
        assertThat(KAFKA.topics().readUntil("cli.recalls", r -> !r.isEmpty(), Duration.ofSeconds(20)))
                .singleElement().satisfies(r -> assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("RC-1"));

        // scenario 13's packs are of product 8612345, sold twice: each sale is of a recalled pack
        Path alerts = dir.resolve("recalled.jsonl");
        MainAccess.Result replayed = run("replay", "--input", example("13-clone-two-pharmacies").toString(), "--recalls", valid.toString(),
                "--output", alerts.toString());
        assertThat(replayed.exit()).as(replayed.err()).isZero();
        assertThat(replayed.out()).contains("RECALLED_PACK");
        assertThat(Files.readAllLines(alerts)).filteredOn(l -> l.contains("\"RECALLED_PACK\"")).isNotEmpty()
                .allSatisfy(l -> assertThat(l).contains("\"recall_id\":\"RC-1\"", "\"severity\":\"HIGH\""));
    }

    @Test
    void settingsDryRunPrintsWhatANewVersionWouldChangeAndPublishesNothing() throws Exception {
        KAFKA.kafka().createTopic("cli.settings", 1);
        Path version = Files.writeString(dir.resolve("fast.json"), "{\"settings_id\":\"fast\",\"version_time\":\"2026-01-01T00:00:00+08:00\","
                + "\"max_speed_kmh\":1000,\"actor\":\"regulator\",\"note\":\"planes\"}");
        Path current = Files.writeString(dir.resolve("current.jsonl"), "");
        MainAccess.Result dry = run("settings", "--input", version.toString(), "--dry-run", "--history", example("18-too-fast-tianjin-guangzhou").toString(),
                "--current", current.toString());
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("- IMPOSSIBLE_ROUTE", "nothing published");
        MainAccess.Result published = run("settings", "--input", version.toString(), "--set", "kafka.bootstrap_servers=" + KAFKA.kafka().bootstrapServers(),
                "--set", "kafka.settings_topic=cli.settings");
        assertThat(published.exit()).as(published.err()).isZero();
        assertThat(published.err()).contains("in the past");
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"settings_id\":\"x\",\"version_time\":\"2026-01-01T00:00:00Z\",\"actor\":\"a\","
                + "\"rules_enabled\":[\"NOPE\"]}");
        assertThat(run("settings", "--input", bad.toString()).err()).contains("unknown rule NOPE");
    }

    @Test
    void settingsPublishesEveryVersionOfItsFileAndRefusesOptionsThatWouldBeIgnored() throws Exception {
        KAFKA.kafka().createTopic("cli.settings-many", 1);
        Path versions = Files.writeString(dir.resolve("versions.jsonl"),
                "{\"settings_id\":\"v1\",\"version_time\":\"2026-01-01T00:00:00+08:00\",\"max_speed_kmh\":200,\"actor\":\"regulator\"}\n"
                        + "{\"settings_id\":\"v2\",\"version_time\":\"2026-02-01T00:00:00+08:00\",\"max_speed_kmh\":300,\"actor\":\"regulator\"}\n");
        String bootstrap = "kafka.bootstrap_servers=" + KAFKA.kafka().bootstrapServers();
        MainAccess.Result historyWithoutDryRun = run("settings", "--input", versions.toString(), "--history",
                example("18-too-fast-tianjin-guangzhou").toString(), "--set", bootstrap, "--set", "kafka.settings_topic=cli.settings-many");
        assertThat(historyWithoutDryRun.exit()).isEqualTo(2);
        assertThat(historyWithoutDryRun.err()).contains("--history goes with --dry-run");

        MainAccess.Result published = run("settings", "--input", versions.toString(), "--set", bootstrap, "--set", "kafka.settings_topic=cli.settings-many");
        assertThat(published.exit()).as(published.err()).isZero();
        assertThat(published.out()).contains("version v1", "version v2");
        assertThat(KAFKA.topics().readUntil("cli.settings-many", r -> r.size() >= 2, Duration.ofSeconds(20)))
                .extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactly("v1", "v2");

        Path oneBroken = Files.writeString(dir.resolve("one-broken.jsonl"), Files.readAllLines(versions).get(0) + "\n{\"settings_id\":\"v3\"}\n");
        MainAccess.Result refused = run("settings", "--input", oneBroken.toString(), "--dry-run", "--history",
                example("18-too-fast-tianjin-guangzhou").toString(), "--current", versions.toString());
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("line 2", "nothing published");
    }

    @Test
    void aRegisterCsvWithAnUnknownOrMissingColumnIsRefusedNamingIt() throws Exception {
        Path misspelt = Files.writeString(dir.resolve("misspelt.csv"), "party_id,version_time,party_type,region,status,licence_valid_until\n"
                + "PH-1,2020-01-01T00:00:00+08:00,PHARMACY,120101,ACTIVE,2020-12-31\n");
        MainAccess.Result checked = run("parties", "--input", misspelt.toString(), "--check");
        assertThat(checked.exit()).isEqualTo(2);
        assertThat(checked.err().lines().filter(l -> l.contains("licence_valid_until"))).hasSize(1);

        Path upper = Files.writeString(dir.resolve("upper.csv"), "PARTY_ID,VERSION_TIME,PARTY_TYPE,REGION,STATUS\n"
                + "PH-1,2020-01-01T00:00:00+08:00,PHARMACY,120101,ACTIVE\n");
        MainAccess.Result upperChecked = run("parties", "--input", upper.toString(), "--check");
        assertThat(upperChecked.exit()).isEqualTo(2);
        assertThat(upperChecked.err()).contains("'PARTY_ID'", "lacks 'party_id'", "lower case");

        MainAccess.Result replayed = run("replay", "--input", example("17-shipped-by-non-holder").toString(), "--output",
                dir.resolve("misspelt-alerts.jsonl").toString(), "--parties", misspelt.toString());
        assertThat(replayed.exit()).isEqualTo(2);
        assertThat(replayed.err()).contains("--parties", "licence_valid_until");
    }

    @Test
    void aReferenceOrRequestFileOfAnotherKindIsRefusedBeforeTheReplay() throws Exception {
        Path scans = example("17-shipped-by-non-holder");
        Path register = Files.writeString(dir.resolve("kinds-register.jsonl"),
                "{\"party_id\":\"PH-1\",\"version_time\":\"2020-01-01T00:00:00Z\",\"party_type\":\"PHARMACY\",\"region\":\"120101\",\"status\":\"ACTIVE\"}\n");
        Path output = dir.resolve("kinds.jsonl");
        for (String[] wrong : new String[][] {{"--parties", scans.toString()}, {"--settings", register.toString()}, {"--recalls", register.toString()}}) {
            MainAccess.Result refused = run("replay", "--input", scans.toString(), "--output", output.toString(), wrong[0], wrong[1]);
            assertThat(refused.exit()).as(String.join(" ", wrong)).isEqualTo(2);
            assertThat(refused.err()).startsWith("tracewatch replay: " + wrong[0] + ": " + wrong[1] + " is not a file of");
        }
        MainAccess.Result scansAsRequests = run("replay", "--input", scans.toString(), "--output", output.toString(),
                "--verify", scans.toString(), "--verifications", dir.resolve("kinds-answers.jsonl").toString());
        assertThat(scansAsRequests.exit()).isEqualTo(2);
        assertThat(scansAsRequests.err()).contains("--verify", "is not a file of verification requests");
        assertThat(output).as("refused before the replay").doesNotExist();
    }

    @Test
    void kafkaCommandsFailFastWithOneLineWhenTheBrokerIsUnreachable() {
        long started = System.nanoTime();
        MainAccess.Result tail = run("tail", "--set", "kafka.bootstrap_servers=127.0.0.1:1");
        assertThat(tail.exit()).isEqualTo(2);
        assertThat(tail.err().strip().lines()).hasSize(1).first().asString().contains("cannot reach Kafka");
        assertThat((System.nanoTime() - started) / 1e9).isLessThan(15);
    }

    @Test
    void aKafkaRangeThatCannotBeMeantIsRefusedBeforeAnythingRuns() throws Exception {
        KAFKA.kafka().createTopic("range-scans", 2);
        String broker = "kafka.bootstrap_servers=" + KAFKA.kafka().bootstrapServers();
        Path output = dir.resolve("range.jsonl");
        MainAccess.Result noPartition = run("replay", "--topic", "range-scans", "--from", "offsets:9=1", "--output", output.toString(), "--set", broker);
        assertThat(noPartition.exit()).isEqualTo(2);
        assertThat(noPartition.err()).startsWith("tracewatch replay: topic range-scans has no partition 9 (it has 2");
        MainAccess.Result backwards = run("replay", "--topic", "range-scans", "--from", "latest", "--to", "earliest", "--output", output.toString(), "--set", broker);
        assertThat(backwards.exit()).isEqualTo(2);
        assertThat(backwards.err()).startsWith("tracewatch replay: --from latest is after --to earliest");
        MainAccess.Result missing = run("replay", "--topic", "no-such-topic", "--output", output.toString(), "--set", broker);
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("Kafka topic no-such-topic does not exist").doesNotContain("Recovery is suppressed");
        assertThat(output).doesNotExist();

        MainAccess.Result rateToFile = run("generate", "--codes", "5", "--output", dir.resolve("g.jsonl").toString(), "--rate", "10");
        assertThat(rateToFile.exit()).isEqualTo(2);
        assertThat(rateToFile.err()).contains("--rate goes with --topic");
        MainAccess.Result badSetting = run("generate", "--codes", "5", "--output", dir.resolve("g.jsonl").toString(), "--set", "detection.max_speed_kmh=abc");
        assertThat(badSetting.exit()).isEqualTo(2);
        assertThat(badSetting.err()).contains("configuration").contains("detection.max_speed_kmh");
    }
}
