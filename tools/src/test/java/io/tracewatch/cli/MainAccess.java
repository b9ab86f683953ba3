package io.tracewatch.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Lets tests in other packages run the command line in-process, as a user would. */
public final class MainAccess {
    public static final String MAIN_CLASS = Main.class.getName();

    private MainAccess() {}

    public static int run(String[] args, PrintStream err) {
        return Main.run(args, new PrintStream(OutputStream.nullOutputStream()), err);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return Main.run(args, out, err);
    }

    /** What one command printed and returned, and how long it took. */
    public record Result(int exit, String out, String err, long millis) {}

    /** Runs one command as a user would, capturing what it prints. */
    public static Result capture(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long started = System.nanoTime();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), (System.nanoTime() - started) / 1_000_000);
    }
}
