package io.tracewatch.config;

import java.io.Serializable;

/** The regulators' alert feed: where it listens, how many alerts it keeps, where its tokens are. */
public record FeedSettings(String bindHost, int port, int windowSize, String tokensFile) implements Serializable {

    void validate() {
        Checks.notBlank(bindHost, "feed.bind_host");
        Checks.atLeast(port, 0, "feed.port");
        Checks.atLeast(windowSize, 1, "feed.window_size");
    }
}
