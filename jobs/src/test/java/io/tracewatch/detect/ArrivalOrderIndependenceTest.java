package io.tracewatch.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.alert.FinalAlerts;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.rules.Events;
import io.tracewatch.rules.HistoryWalk;
import io.tracewatch.rules.Reference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The detector's final alerts depend only on the events: every contract example, fed in many
 * random arrival orders with watermarks and processing time advancing at random points in between
 * (so events are judged early, arrive late, and alerts are raised and retracted), ends with the
 * alerts that a walk over the event-time ordered history finds.
 */
class ArrivalOrderIndependenceTest {
    private static final DetectionConfig CONFIG = TracewatchConfig.defaults().detection();
    private static final int ORDERS_PER_SCENARIO = 40;

    static Stream<String> scenarios() throws Exception {
        return ContractExamplesTest.scenarios().filter(s -> !s.startsWith("28-"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void finalAlertsAreTheSameInEveryArrivalOrder(String scenario) throws Exception {
        List<ScanEvent> events = ShuffledExampleRun.events(scenario);
        Set<String> expected = walkOfDistinct(events);

        Random random = new Random(scenario.hashCode());
        for (int order = 0; order < ORDERS_PER_SCENARIO; order++) {
            List<ScanEvent> arrival = new ArrayList<>(events);
            arrival.add(arrival.get(random.nextInt(arrival.size())));
            Collections.shuffle(arrival, random);
            assertThat(detect(arrival, random)).as("arrival order %s", ids(arrival)).isEqualTo(expected);
        }
    }

    private static Set<String> walkOfDistinct(List<ScanEvent> events) {
        List<ScanEvent> history = events.stream().distinct().sorted(Events.EVENT_TIME_ORDER).toList();
        return HistoryWalk.standard().findings(history, Reference.none(CONFIG.ruleSettings())).stream()
                .map(f -> f.rule() + "@" + f.trigger().getEventId())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> detect(List<ScanEvent> arrival, Random random) throws Exception {
        return FinalAlerts.of(ShuffledExampleRun.detect(arrival, random)).standing().stream()
                .map(a -> a.getRule() + "@" + a.getTriggerEventId())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String ids(List<ScanEvent> events) {
        return events.stream().map(ScanEvent::getEventId).collect(Collectors.joining(","));
    }
}
