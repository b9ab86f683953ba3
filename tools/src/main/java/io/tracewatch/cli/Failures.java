package io.tracewatch.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A failure as one line for a user: the messages along its cause chain, without stack frames. The
 * root cause, which says what went wrong, is always in it; Flink's wrappers around a failed job
 * ("Job execution failed.", "Recovery is suppressed by ...", a source reader's fetcher) are left out.
 */
final class Failures {
    private static final List<String> WRAPPERS = List.of("Job execution failed", "Recovery is suppressed", "org.apache.flink.",
            "One or more fetchers have encountered exception", "SplitFetcher thread");
    private static final int MESSAGES = 4;

    private Failures() {}

    static String describe(Throwable failure) {
        Set<String> chain = new LinkedHashSet<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            chain.add(message == null || message.isBlank() ? t.getClass().getSimpleName() : message.strip());
        }
        List<String> messages = new ArrayList<>(chain);
        String root = messages.get(messages.size() - 1);
        messages.removeIf(message -> WRAPPERS.stream().anyMatch(message::startsWith));
        if (messages.isEmpty() || !messages.get(messages.size() - 1).equals(root)) {
            messages.add(root);
        }
        if (messages.size() > MESSAGES) {
            List<String> shown = new ArrayList<>(messages.subList(0, MESSAGES - 1));
            shown.add(root);
            messages = shown;
        }
        return String.join(": ", messages);
    }
}
