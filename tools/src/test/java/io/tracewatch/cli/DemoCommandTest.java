package io.tracewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's demo command, small: embedded Kafka, the streaming job, live alerts, a summary. */
class DemoCommandTest {
    @Test
    void theDemoPrintsLiveAlertsAndFindsEveryExpectedOne() throws Exception {
        java.nio.file.Path tmp = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
        java.util.Set<String> before = demoDirectories(tmp);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[] {"demo", "--codes", "200", "--rate", "3000", "--anomaly-rate", "0.3"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        // checkpoints, Kafka's data and Flink's files went with the demo
        assertThat(demoDirectories(tmp)).isSubsetOf(before);
        assertThat(printed).contains("Flink UI:    http://localhost:").contains("RAISED    DUPLICATE_SALE");
        Matcher rows = Pattern.compile("(DUPLICATE_SALE|IMPOSSIBLE_ROUTE|POST_DISPENSE_RESALE) +(\\d+) +(\\d+) +(\\d+) +(\\d+)").matcher(printed);
        int checked = 0;
        while (rows.find()) {
            assertThat(rows.group(2)).as(rows.group(1) + " expected").isNotEqualTo("0");
            assertThat(rows.group(3)).as(rows.group(1) + " found").isEqualTo(rows.group(2));
            assertThat(rows.group(5)).as(rows.group(1) + " unexpected").isEqualTo("0");
            checked++;
        }
        assertThat(checked).isEqualTo(3);
    }

    private static java.util.Set<String> demoDirectories(java.nio.file.Path tmp) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(tmp)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("tracewatch-demo-") || n.startsWith("tracewatch-kafka-") || n.startsWith("flink-rpc-akka"))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }
}
