package io.tracewatch.generate;

import io.tracewatch.io.codec.ScanEventJson;
import io.tracewatch.model.ScanEvent;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Generates realistic scan traffic in arrival order: pack lifecycles drawn from {@link Scenario}
 * (legitimate ones, look-alikes and injected anomalies of every rule), uploaded with delays, some
 * of them late and some twice, plus a few malformed records. Reports the alerts the traffic must
 * raise as ground-truth {@link Label}s. The same settings give the same traffic.
 *
 * <p>Memory stays bounded whatever the size: a lifecycle starts every {@code codeSpacingSeconds}
 * of event time, and only the scans of lifecycles still uploading are held.
 */
public final class ScanGenerator implements Iterator<ScanGenerator.GeneratedScan> {
    private static final long MAX_LATE_SECONDS = 3 * 86_400L;
    /** A lifecycle's scans may be stamped this much before its start (clock-skewed sites). */
    private static final long EARLIEST_SCAN_BEFORE_START_S = 3600;

    /**
     * @param anomalyRate share of codes given an injected anomaly
     * @param lateRate share of scans uploaded hours to days late
     * @param duplicateRate share of scans uploaded a second time
     * @param malformedRate malformed records per code
     * @param recalls whether packs of the recalled batches of the world's recall list ({@link Recalls}) are drawn too
     */
    public record Settings(
            long seed,
            long codes,
            double anomalyRate,
            double lateRate,
            double duplicateRate,
            double malformedRate,
            Instant start,
            long codeSpacingSeconds,
            boolean recalls) {

        public static Settings defaults(long seed, long codes) {
            return new Settings(seed, codes, 0.05, 0.02, 0.02, 0.002, Instant.parse("2026-03-01T00:00:00Z"), 20, false);
        }

        public Settings withAnomalyRate(double rate) {
            return new Settings(seed, codes, rate, lateRate, duplicateRate, malformedRate, start, codeSpacingSeconds, recalls);
        }

        public Settings withLateRate(double rate) {
            return new Settings(seed, codes, anomalyRate, rate, duplicateRate, malformedRate, start, codeSpacingSeconds, recalls);
        }

        /** Traffic whose first pack is commissioned at {@code start}. */
        public Settings withStart(Instant start) {
            return new Settings(seed, codes, anomalyRate, lateRate, duplicateRate, malformedRate, start, codeSpacingSeconds, recalls);
        }

        /** With the recall scenarios, whose alerts need the world's recall list ({@link Recalls#of}) loaded. */
        public Settings withRecalls() {
            return new Settings(seed, codes, anomalyRate, lateRate, duplicateRate, malformedRate, start, codeSpacingSeconds, true);
        }
    }

    /**
     * One uploaded record: its JSON line, the event it carries (null when malformed) and when it was
     * uploaded.
     */
    public record GeneratedScan(String json, ScanEvent event, long uploadEpochSecond) {}

    private record Pending(GeneratedScan scan, long sequence) implements Comparable<Pending> {
        @Override
        public int compareTo(Pending other) {
            int byUpload = Long.compare(scan.uploadEpochSecond(), other.scan.uploadEpochSecond());
            return byUpload != 0 ? byUpload : Long.compare(sequence, other.sequence);
        }
    }

    private final Settings settings;
    private final Random random;
    private final World world;
    private final Consumer<Label> labels;
    private final List<Scenario> anomalies;
    private final List<Scenario> legitimate;
    private final PriorityQueue<Pending> pending = new PriorityQueue<>();
    private long nextCode;
    private long sequence;

    public ScanGenerator(Settings settings, Consumer<Label> labels) {
        this.settings = settings;
        this.random = new Random(settings.seed());
        this.world = new World(new Random(settings.seed()));
        this.labels = labels;
        List<Scenario> drawn = List.of(Scenario.values()).stream().filter(s -> settings.recalls() || !s.recalls).toList();
        this.anomalies = drawn.stream().filter(s -> s.anomaly).toList();
        this.legitimate = drawn.stream().filter(s -> !s.anomaly).toList();
    }

    @Override
    public boolean hasNext() {
        fill();
        return !pending.isEmpty();
    }

    @Override
    public GeneratedScan next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return pending.poll().scan();
    }

    /** Generates lifecycles until the earliest pending upload cannot be preceded by a later lifecycle's. */
    private void fill() {
        while (nextCode < settings.codes() && (pending.isEmpty() || pending.peek().scan().uploadEpochSecond() > startOf(nextCode) - EARLIEST_SCAN_BEFORE_START_S)) {
            generate(nextCode++);
        }
    }

    private long startOf(long code) {
        return settings.start().getEpochSecond() + code * settings.codeSpacingSeconds();
    }

    private void generate(long codeNumber) {
        boolean anomaly = random.nextDouble() < settings.anomalyRate();
        Scenario scenario = World.pick(anomaly ? anomalies : legitimate, random);
        List<World.Product> products = scenario.needsPackSize()
                ? world.products.stream().filter(p -> p.packSize() != null).toList()
                : world.products;
        Lifecycle life = new Lifecycle(codeNumber + 1, World.pick(products, random), startOf(codeNumber));
        scenario.play(life, world, random);
        life.labels.forEach(labels);
        for (ScanEvent event : life.events) {
            String json = ScanEventJson.encode(event);
            long uploaded = event.getEventTime().getEpochSecond() + uploadDelay();
            enqueue(new GeneratedScan(json, event, uploaded));
            if (random.nextDouble() < settings.duplicateRate()) {
                enqueue(new GeneratedScan(json, event, uploaded + 60 + random.nextInt(86_400)));
            }
        }
        if (random.nextDouble() < settings.malformedRate() * life.events.size() / 2) {
            ScanEvent spoiled = World.pick(life.events, random);
            enqueue(new GeneratedScan(Malformed.spoil(ScanEventJson.encode(spoiled), random), null,
                    spoiled.getEventTime().getEpochSecond() + uploadDelay()));
        }
    }

    private long uploadDelay() {
        if (random.nextDouble() < settings.lateRate()) {
            return 3600 + (long) (random.nextDouble() * (MAX_LATE_SECONDS - 3600));
        }
        return 5 + random.nextInt(120);
    }

    private void enqueue(GeneratedScan scan) {
        pending.add(new Pending(scan, sequence++));
    }
}
