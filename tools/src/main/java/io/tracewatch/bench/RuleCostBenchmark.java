package io.tracewatch.bench;

import io.tracewatch.generate.Recalls;
import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.io.codec.ReferenceJson;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.PartyRecord;
import io.tracewatch.model.RecallRecord;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.rules.DestroyedPackRule;
import io.tracewatch.rules.DuplicateSaleRule;
import io.tracewatch.rules.Events;
import io.tracewatch.rules.ExpiredPackRule;
import io.tracewatch.rules.HistoryWalk;
import io.tracewatch.rules.ImpossibleRouteRule;
import io.tracewatch.rules.PostDispenseResaleRule;
import io.tracewatch.rules.RecalledPackRule;
import io.tracewatch.rules.Reference;
import io.tracewatch.rules.RuleSettings;
import io.tracewatch.rules.UnlicensedChannelRule;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the lifecycle rules (lifecycle.md) cost: the walk over every code's history, as the detector
 * judges it, with all seven rules against the four of before, on the generated world's traffic with
 * its recall list. Rounds alternate so that both see the same warm JVM.
 */
final class RuleCostBenchmark {
    private static final int ROUNDS = 8;
    /** Rounds of each walk before the measured ones, so that both are compiled. */
    private static final int WARM_UP_ROUNDS = 3;

    private final PrintStream log;

    RuleCostBenchmark(PrintStream log) {
        this.log = log;
    }

    List<Result> run(long codes) {
        ScanGenerator.Settings settings = ScanGenerator.Settings.defaults(Benchmarks.TRAFFIC_SEED, codes).withAnomalyRate(0.05).withRecalls();
        Map<String, List<ScanEvent>> histories = new LinkedHashMap<>();
        new ScanGenerator(settings, label -> {}).forEachRemaining(scan -> {
            if (scan.event() != null) {
                histories.computeIfAbsent(scan.event().getCode(), c -> new ArrayList<>()).add(scan.event());
            }
        });
        long events = 0;
        for (List<ScanEvent> history : histories.values()) {
            history.sort(Events.EVENT_TIME_ORDER);
            events += history.size();
        }
        Reference reference = withRecalls(Reference.none(TracewatchConfig.defaults().detection().ruleSettings()),
                Recalls.of(settings.seed(), settings.start()));
        HistoryWalk before = new HistoryWalk(List.of(new DuplicateSaleRule(), new ImpossibleRouteRule(), new PostDispenseResaleRule(),
                new UnlicensedChannelRule()));
        HistoryWalk now = HistoryWalk.standard();
        log.printf("  the rules' walk over %,d codes (%,d events), %d rounds each...%n", histories.size(), events, ROUNDS);
        long[] findings = new long[2];
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            time(before, histories, reference, findings, 0);
            time(now, histories, reference, findings, 1);
        }
        findings[0] = 0;
        findings[1] = 0;
        double beforeSeconds = 0;
        double nowSeconds = 0;
        for (int round = 0; round < ROUNDS; round++) {
            beforeSeconds += time(before, histories, reference, findings, 0);
            nowSeconds += time(now, histories, reference, findings, 1);
        }
        Result four = Result.of("rules", "walk, 4 rules (before lifecycle.md)", events * ROUNDS, beforeSeconds)
                .with("findings_per_round", findings[0] / ROUNDS);
        Result seven = Result.of("rules", "walk, 7 rules", events * ROUNDS, nowSeconds)
                .with("findings_per_round", findings[1] / ROUNDS)
                .with("of_four_rules", Math.round(beforeSeconds / nowSeconds * 1000) / 1000.0);
        return List.of(four, seven);
    }

    /** Seconds one walk over every history takes; its findings are counted, so that none is optimised away. */
    private static double time(HistoryWalk walk, Map<String, List<ScanEvent>> histories, Reference reference, long[] findings, int slot) {
        long started = System.nanoTime();
        for (List<ScanEvent> history : histories.values()) {
            findings[slot] += walk.findings(history, reference).size();
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /** The recall list answered as the detector's broadcast state answers it, from memory. */
    private static Reference withRecalls(Reference reference, List<String> lines) {
        // by product, then by recall: the detector's broadcast state keeps an index of the same kind
        Map<String, Map<String, List<RecallRecord>>> byProduct = new HashMap<>();
        for (String line : lines) {
            RecallRecord recall = ReferenceJson.decode(ReferenceJson.Kind.RECALL, line.getBytes(StandardCharsets.UTF_8),
                    new DeadLetters.Origin("recalls", 0, null)).getRecall();
            byProduct.computeIfAbsent(recall.getProductCode(), p -> new HashMap<>())
                    .computeIfAbsent(recall.getRecallId(), id -> new ArrayList<>()).add(recall);
        }
        byProduct.values().forEach(recalls -> recalls.values().forEach(versions -> versions.sort(Comparator.comparing(RecallRecord::getVersionTime))));
        return new Reference() {
            @Override
            public boolean hasRegister() {
                return false;
            }

            @Override
            public PartyRecord party(String partyId, Instant at) {
                return null;
            }

            @Override
            public RuleSettings settings(Instant at) {
                return reference.settings(at);
            }

            @Override
            public List<RecallRecord> recalls(String productCode, Instant at) {
                List<RecallRecord> applicable = new ArrayList<>();
                for (List<RecallRecord> versions : byProduct.getOrDefault(productCode, Map.of()).values()) {
                    RecallRecord found = Reference.applicable(versions, RecallRecord::getVersionTime, at);
                    if (found != null && found.getProductCode().equals(productCode)) {
                        applicable.add(found);
                    }
                }
                return applicable;
            }
        };
    }
}
