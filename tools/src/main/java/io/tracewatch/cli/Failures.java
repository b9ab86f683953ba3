package io.tracewatch.cli;

import java.util.LinkedHashSet;
import java.util.Set;

/** A failure as one line for a user: the messages along its cause chain, without stack frames. */
final class Failures {
    private Failures() {}

    static String describe(Throwable failure) {
        Set<String> messages = new LinkedHashSet<>();
        for (Throwable t = failure; t != null && messages.size() < 4; t = t.getCause()) {
            String message = t.getMessage();
            messages.add(message == null || message.isBlank() ? t.getClass().getSimpleName() : message);
        }
        return String.join(": ", messages);
    }
}
