package io.tracewatch.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.io.codec.ReferenceJson;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.PartyRecord;
import io.tracewatch.model.RecallRecord;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.rules.Events;
import io.tracewatch.rules.Finding;
import io.tracewatch.rules.HistoryWalk;
import io.tracewatch.rules.Reference;
import io.tracewatch.rules.RuleSettings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ScanGeneratorTest {

    private static List<String> lines(ScanGenerator.Settings settings, List<Label> labels) {
        ScanGenerator generator = new ScanGenerator(settings, labels::add);
        List<String> lines = new ArrayList<>();
        generator.forEachRemaining(scan -> lines.add(scan.json()));
        return lines;
    }

    @Test
    void theSameSeedGivesTheSameTraffic() {
        ScanGenerator.Settings settings = ScanGenerator.Settings.defaults(5, 300);
        List<Label> first = new ArrayList<>();
        List<Label> second = new ArrayList<>();
        assertThat(lines(settings, first)).isEqualTo(lines(settings, second));
        assertThat(first).isEqualTo(second);
        assertThat(lines(ScanGenerator.Settings.defaults(6, 300), new ArrayList<>())).isNotEqualTo(lines(settings, first));
    }

    @Test
    void theLabelsAreWhatTheRulesFindInEachCodesHistoryWithTheWorldsRecallList() {
        List<Label> labels = new ArrayList<>();
        Map<String, Set<ScanEvent>> histories = new LinkedHashMap<>();
        ScanGenerator.Settings settings = ScanGenerator.Settings.defaults(11, 20_000).withAnomalyRate(0.25).withRecalls();
        new ScanGenerator(settings, labels::add).forEachRemaining(scan -> {
            if (scan.event() != null) {
                histories.computeIfAbsent(scan.event().getCode(), c -> new TreeSet<>(Events.EVENT_TIME_ORDER)).add(scan.event());
            }
        });
        HistoryWalk walk = HistoryWalk.standard();
        Reference reference = withRecalls(Reference.none(TracewatchConfig.defaults().detection().ruleSettings()),
                Recalls.of(settings.seed(), settings.start()));
        Set<Label> found = new TreeSet<>(Comparator.comparing(Label::toString));
        histories.values().forEach(history -> walk.findings(List.copyOf(history), reference).forEach(f -> found.add(new Label(
                f.trigger().getCode(), f.rule().name(), f.trigger().getEventId(),
                f instanceof Finding.DuplicateSale duplicate ? duplicate.cause().name() : null))));

        Set<Label> expected = new TreeSet<>(Comparator.comparing(Label::toString));
        expected.addAll(labels);
        assertThat(expected).hasSizeGreaterThan(1000);
        assertThat(expected).extracting(Label::rule).contains("DESTROYED_PACK", "EXPIRED_PACK", "RECALLED_PACK");
        assertThat(expected).extracting(Label::cause).contains("SAME_PARTY", "CLONED_CODE", "RESALE");
        assertThat(found).isEqualTo(expected);
    }

    /**
     * The recall list's records, answered as lifecycle.md says, for the walk: per recall, the version
     * with the largest version_time at or before the event, when it names the product.
     */
    private static Reference withRecalls(Reference reference, List<String> recallLines) {
        List<RecallRecord> versions = recallLines.stream()
                .map(line -> ReferenceJson.decode(ReferenceJson.Kind.RECALL, line.getBytes(StandardCharsets.UTF_8),
                        new DeadLetters.Origin("recalls", 0, null)).getRecall())
                .toList();
        return new Reference() {
            @Override
            public boolean hasRegister() {
                return reference.hasRegister();
            }

            @Override
            public PartyRecord party(String partyId, Instant at) {
                return reference.party(partyId, at);
            }

            @Override
            public RuleSettings settings(Instant at) {
                return reference.settings(at);
            }

            @Override
            public List<RecallRecord> recalls(String productCode, Instant at) {
                Map<String, RecallRecord> applicable = new TreeMap<>();
                for (RecallRecord version : versions) {
                    RecallRecord held = applicable.get(version.getRecallId());
                    if (!version.getVersionTime().isAfter(at) && (held == null || !version.getVersionTime().isBefore(held.getVersionTime()))) {
                        applicable.put(version.getRecallId(), version);
                    }
                }
                return applicable.values().stream().filter(r -> r.getProductCode().equals(productCode)).toList();
            }
        };
    }

    @Test
    void trafficArrivesInUploadOrderWithRepeatsLateUploadsAndMalformedRecords() {
        List<ScanGenerator.GeneratedScan> scans = new ArrayList<>();
        new ScanGenerator(ScanGenerator.Settings.defaults(3, 3000), label -> {}).forEachRemaining(scans::add);
        for (int i = 1; i < scans.size(); i++) {
            assertThat(scans.get(i).uploadEpochSecond()).isGreaterThanOrEqualTo(scans.get(i - 1).uploadEpochSecond());
        }
        assertThat(scans).anySatisfy(s -> assertThat(s.event()).isNull());
        long distinct = scans.stream().filter(s -> s.event() != null).map(s -> s.event().getEventId()).distinct().count();
        assertThat(distinct).isLessThan(scans.stream().filter(s -> s.event() != null).count());
        boolean outOfEventTimeOrder = false;
        for (int i = 1; i < scans.size() && !outOfEventTimeOrder; i++) {
            ScanEvent a = scans.get(i - 1).event();
            ScanEvent b = scans.get(i).event();
            outOfEventTimeOrder = a != null && b != null && b.getEventTime().isBefore(a.getEventTime().minusSeconds(3600));
        }
        assertThat(outOfEventTimeOrder).as("some uploads arrive hours late").isTrue();
    }
}
