package io.tracewatch.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.rules.Events;
import io.tracewatch.rules.HistoryWalk;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    void theLabelsAreWhatTheRulesFindInEachCodesHistory() {
        List<Label> labels = new ArrayList<>();
        Map<String, Set<ScanEvent>> histories = new LinkedHashMap<>();
        new ScanGenerator(ScanGenerator.Settings.defaults(11, 20_000).withAnomalyRate(0.25), labels::add)
                .forEachRemaining(scan -> {
                    if (scan.event() != null) {
                        histories.computeIfAbsent(scan.event().getCode(), c -> new TreeSet<>(Events.EVENT_TIME_ORDER)).add(scan.event());
                    }
                });
        HistoryWalk walk = HistoryWalk.standard();
        io.tracewatch.rules.Reference reference = io.tracewatch.rules.Reference.none(io.tracewatch.job.TracewatchConfig.defaults().detection().ruleSettings());
        Set<Label> found = new TreeSet<>(java.util.Comparator.comparing(Label::toString));
        histories.values().forEach(history -> walk.findings(List.copyOf(history), reference)
                .forEach(f -> found.add(new Label(f.trigger().getCode(), f.rule().name(), f.trigger().getEventId()))));

        Set<Label> expected = new TreeSet<>(java.util.Comparator.comparing(Label::toString));
        expected.addAll(labels);
        assertThat(expected).hasSizeGreaterThan(1000);
        assertThat(found).isEqualTo(expected);
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
