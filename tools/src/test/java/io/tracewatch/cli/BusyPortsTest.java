package io.tracewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A port in use, or a broker that does not answer, is one line before anything starts. */
class BusyPortsTest {
    @Test
    void aBusyPortIsOneLineNamingIt() throws Exception {
        try (ServerSocket busy = new ServerSocket(0)) {
            String port = Integer.toString(busy.getLocalPort());
            for (String[] command : new String[][] {
                {"broker", "--port", port},
                {"demo", "--web-port", port},
                {"demo", "--feed-port", port},
                {"feed", "--set", "feed.port=" + port}}) {
                MainAccess.Result result = MainAccess.capture(command);
                assertThat(result.exit()).as(String.join(" ", command)).isEqualTo(2);
                assertThat(result.err().lines().filter(line -> !line.startsWith("see: ")))
                        .as(String.join(" ", command)).singleElement().asString().contains(port + " is in use");
            }
        }
    }

    @Test
    void aDemoOnABrokerThatDoesNotAnswerSaysSoWithinSeconds() {
        long started = System.nanoTime();
        MainAccess.Result result = MainAccess.capture("demo", "--broker", "127.0.0.1:1");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("cannot reach Kafka at 127.0.0.1:1 within 10 s").doesNotContain("TimeoutException");
        assertThat((System.nanoTime() - started) / 1e9).isLessThan(30);
    }
}
