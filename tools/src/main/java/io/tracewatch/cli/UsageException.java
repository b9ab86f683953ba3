package io.tracewatch.cli;

/** The command line is wrong; the message says how, and the command's usage follows it. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
