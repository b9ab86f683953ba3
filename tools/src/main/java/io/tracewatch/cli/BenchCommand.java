package io.tracewatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tracewatch.bench.BenchCheck;
import io.tracewatch.bench.Benchmarks;
import io.tracewatch.bench.Result;
import io.tracewatch.embedded.ScratchDirectory;
import io.tracewatch.job.TracewatchConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code bench}: throughput, latency, state size and replay speed, each beside its baseline, as a table and JSON. */
final class BenchCommand implements Command {
    private static final List<String> PARTS = List.of("parts", "kafka", "latency", "state", "replay", "feed", "hotkey", "enrichment", "register", "leads", "layout", "rules", "seal", "years");

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "measure throughput, alert latency, state size and replay speed against baselines";
    }

    @Override
    public Options options() {
        return new Options(name(), summary())
                .value("events", "N", "events for the throughput runs (default 1000000)")
                .value("replay-events", "N", "events for the replay and bootstrap runs (default 2000000)")
                .value("state-codes", "N,N", "codes held for the state size runs (default 200000; e.g. 1000000,10000000 to see growth)")
                .value("hot-events", "N", "scans of the one hot code, and of ordinary codes beside it (default 100000)")
                .value("register-parties", "N", "parties in the register read at start (default 100000)")
                .value("rules-codes", "N", "codes whose histories the rules walk, with and without the lifecycle rules (default 100000)")
                .value("state-seal-days", "D", "detection.seal_after_days for the state size runs (default as configured: 90; 1 seals nearly every code)")
                .value("seal-codes", "N", "codes merged, judged and sealed to count the bytes of a sealed code (default 100000)")
                .value("seal-at-rest", "N", "also write N sealed codes (copies of those, with fresh ids) into RocksDB under each measured setting and count their compacted bytes (default 0: not run)")
                .value("years-codes", "N", "codes held, sealed, before the live traffic of --only years (default 1000000)")
                .value("years-live-codes", "N", "new codes of the live traffic of --only years (default 100000)")
                .value("rocksdb", "NAMES", "the RocksDB (or ForSt) settings --seal-at-rest and --only years compare, comma-separated: "
                        + String.join(", ", Benchmarks.rocksdbSettings()) + "; the years benchmark runs its empty state under the first (default: configured)")
                .value("latency-seconds", "S", "seconds of live traffic per latency run (default 20)")
                .value("parallelism", "N", "parallel subtasks (default 2)")
                .value("only", "PART,...", "run only these of " + String.join(", ", PARTS))
                .value("json", "FILE", "also write the results as JSON (default target/bench.json)")
                .value("check", "BASELINE.json", "compare with a stored run by ratios; exit 1 if a figure is more than 15%% worse")
                .value("work-dir", "DIR", "where generated data and checkpoints go (default: a new temporary directory)");
    }

    @Override
    public int run(Options.Parsed args, PrintStream out, PrintStream err) throws Exception {
        long events = args.positiveInt("events", 1_000_000);
        long replayEvents = args.positiveInt("replay-events", 2_000_000);
        int latencySeconds = args.positiveInt("latency-seconds", 20);
        int parallelism = args.positiveInt("parallelism", 2);
        List<Long> stateCodes = Arrays.stream(args.get("state-codes", "200000").split(","))
                .map(String::trim).map(Long::parseLong).toList();
        Set<String> only = Set.copyOf(Arrays.asList(args.get("only", String.join(",", PARTS)).split(",")));
        for (String part : only) {
            if (!PARTS.contains(part)) {
                throw new UsageException("--only: unknown part '" + part + "', expected some of " + PARTS);
            }
        }
        List<String> rocksdb = List.of(args.get("rocksdb", "configured").split(","));
        if (!Benchmarks.rocksdbSettings().containsAll(rocksdb)) {
            throw new UsageException("--rocksdb takes some of " + String.join(", ", Benchmarks.rocksdbSettings()));
        }
        JsonNode baseline = null;
        if (args.has("check")) {
            Path stored = Paths.get(args.get("check", null));
            if (!Files.isReadable(stored)) {
                throw new UsageException("--check: cannot read " + stored);
            }
            try {
                baseline = new ObjectMapper().readTree(stored.toFile());
            } catch (java.io.IOException e) {
                throw new UsageException("--check: " + stored + " is not a bench result (JSON): " + e.getMessage());
            }
        }
        Path work = args.has("work-dir") ? Files.createDirectories(Paths.get(args.get("work-dir", null)))
                : Files.createTempDirectory("tracewatch-bench-");
        Benchmarks bench = new Benchmarks(work, parallelism, err);
        List<Result> results = new ArrayList<>();
        long started = System.nanoTime();
        if (only.contains("parts")) {
            results.addAll(bench.parts(events));
        }
        if (only.contains("kafka")) {
            results.addAll(bench.kafka(events));
        }
        if (only.contains("latency")) {
            results.add(bench.latency(Benchmarks.LATENCY_DELAY_MS, Benchmarks.LATENCY_DELAY_MS, latencySeconds, Benchmarks.LATENCY_PACKS_PER_SECOND));
            results.add(bench.latency(1000, 1000, latencySeconds, Benchmarks.LATENCY_PACKS_PER_SECOND));
        }
        if (only.contains("state")) {
            for (long codes : stateCodes) {
                results.add(bench.stateSize(codes, (int) args.wholeNumber("state-seal-days", TracewatchConfig.defaults().detection().sealAfterDays())));
            }
        }
        if (only.contains("replay")) {
            results.addAll(replay(bench, replayEvents, work, parallelism));
        }
        if (only.contains("feed")) {
            results.addAll(bench.feed(50, 10_000));
        }
        if (only.contains("hotkey")) {
            results.addAll(bench.hotKey(args.positiveInt("hot-events", 100_000)));
        }
        if (only.contains("leads")) {
            results.add(bench.latency(5000, 5000, latencySeconds, 100, true));
            results.add(bench.latency(1000, 1000, latencySeconds, 100, true));
        }
        if (only.contains("enrichment")) {
            results.addAll(bench.enrichment(events));
        }
        if (only.contains("layout")) {
            results.addAll(bench.stateLayout(events));
        }
        if (only.contains("rules")) {
            results.addAll(bench.ruleCost(args.positiveInt("rules-codes", 100_000)));
        }
        if (only.contains("seal")) {
            long atRest = args.wholeNumber("seal-at-rest", 0);
            List<String> otherBackends = rocksdb.stream().filter(Benchmarks::otherStateBackend).toList();
            if (atRest > 0 && !otherBackends.isEmpty()) {
                throw new UsageException("--seal-at-rest writes RocksDB's files itself: " + String.join(", ", otherBackends) + " apply to --only years alone");
            }
            if (atRest > 0) {
                results.addAll(bench.sealsAtRest(args.positiveInt("seal-codes", 100_000), atRest, rocksdb));
            } else {
                results.add(bench.sealedBytes(args.positiveInt("seal-codes", 100_000)));
            }
        }
        if (only.contains("years")) {
            long heldCodes = args.wholeNumber("years-codes", 1_000_000);
            long liveCodes = args.wholeNumber("years-live-codes", 100_000);
            if (heldCodes < 1 || liveCodes < 1) {
                throw new UsageException("--years-codes and --years-live-codes take a positive number of codes");
            }
            results.addAll(bench.years(heldCodes, liveCodes, rocksdb));
        }
        if (only.contains("register")) {
            results.add(bench.register(args.positiveInt("register-parties", 100_000)));
        }
        out.println(table(results, (System.nanoTime() - started) / 1e9));
        Path json = Paths.get(args.get("json", "target/bench.json"));
        if (json.toAbsolutePath().getParent() != null) {
            Files.createDirectories(json.toAbsolutePath().getParent());
        }
        Map<String, Object> run = json(results, parallelism);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), run);
        out.println("results: " + json);
        return baseline == null ? 0 : check(baseline, new ObjectMapper().valueToTree(run), out);
    }

    /** Prints each figure beside the stored one; 1 when one regressed past the tolerance. */
    static int check(JsonNode baseline, JsonNode run, PrintStream out) {
        List<BenchCheck.Comparison> comparisons = BenchCheck.compare(baseline, run);
        out.printf(Locale.ROOT, "%n%-96s %10s %10s %8s%n", "against the stored run", "stored", "now", "change");
        comparisons.forEach(c -> out.println(c.line()));
        long regressions = comparisons.stream().filter(BenchCheck.Comparison::regressed).count();
        out.printf(Locale.ROOT, "%d figures compared, %d regressed by more than %.0f%%%n", comparisons.size(), regressions,
                BenchCheck.TOLERANCE * 100);
        return regressions == 0 ? 0 : Main.EXIT_FAILURE;
    }

    /**
     * The replay command as a user runs it, start-up included, batch and streaming, and a bootstrap
     * of the same input with its savepoint.
     */
    private static List<Result> replay(Benchmarks bench, long events, Path work, int parallelism) throws Exception {
        Path input = bench.traffic(events);
        long records;
        try (var lines = Files.lines(input)) {
            records = lines.filter(l -> !l.isBlank()).count();
        }
        String threads = Integer.toString(parallelism);
        Result batch = timed("batch, start-up included", records, "replay", "--input", input.toString(), "--output",
                work.resolve("replay-alerts.jsonl").toString(), "--parallelism", threads, "--quiet");
        Result streaming = timed("streaming, start-up included", records, "replay", "--mode", "streaming", "--input", input.toString(),
                "--output", work.resolve("streaming-alerts.jsonl").toString(), "--parallelism", threads, "--quiet");
        Path savepoint = work.resolve("bootstrap-savepoint-" + System.nanoTime());
        Result bootstrap = timed("bootstrap, start-up included", records, "bootstrap", "--input", input.toString(),
                "--savepoint", savepoint.toString(), "--alerts", work.resolve("bootstrap-alerts.jsonl").toString(), "--parallelism", threads, "--quiet");
        long savepointBytes = Benchmarks.size(savepoint);
        ScratchDirectory.deleteRecursively(savepoint);
        bootstrap.with("savepoint_bytes", savepointBytes).with("vs_batch_replay", round(bootstrap.eventsPerSecond() / batch.eventsPerSecond()));
        streaming.with("vs_batch_replay", round(streaming.eventsPerSecond() / batch.eventsPerSecond()));
        return List.of(batch, streaming, bootstrap);
    }

    private static Result timed(String name, long records, String... command) {
        long started = System.nanoTime();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        int exit = Main.run(command, quiet, quiet);
        if (exit != 0) {
            throw new IllegalStateException("the " + command[0] + " failed (exit " + exit + ")");
        }
        return new Result("replay", name, records, (System.nanoTime() - started) / 1e9, new LinkedHashMap<>());
    }

    private static double round(double ratio) {
        return Math.round(ratio * 100) / 100.0;
    }

    static String table(List<Result> results, double seconds) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%n%-30s %-34s %12s %9s %12s  %s%n",
                "benchmark", "run", "events", "seconds", "events/s", "notes"));
        for (Result r : results) {
            text.append(String.format(Locale.ROOT, "%-30s %-34s %,12d %9.1f %,12.0f  %s%n", r.group(), r.name(), r.events(), r.seconds(),
                    r.eventsPerSecond(), r.details().entrySet().stream()
                            .map(e -> e.getKey() + "=" + (e.getValue() instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : e.getValue()))
                            .collect(Collectors.joining(" "))));
        }
        results.stream().filter(r -> r.group().startsWith("file")).findFirst().ifPresent(base -> results.stream()
                .filter(r -> r.group().startsWith("file") && r != base)
                .forEach(r -> text.append(String.format(Locale.ROOT, "  %-40s %.2f of the passthrough%n", r.name(),
                        r.eventsPerSecond() / base.eventsPerSecond()))));
        text.append(String.format(Locale.ROOT, "%n%d cores, %.0f s in all", Runtime.getRuntime().availableProcessors(), seconds));
        return text.toString();
    }

    private static Map<String, Object> json(List<Result> results, int parallelism) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("cores", Runtime.getRuntime().availableProcessors());
        root.put("parallelism", parallelism);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Result r : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("group", r.group());
            row.put("name", r.name());
            row.put("events", r.events());
            row.put("seconds", r.seconds());
            row.put("events_per_second", r.eventsPerSecond());
            row.putAll(r.details());
            rows.add(row);
        }
        root.put("results", rows);
        return root;
    }
}
