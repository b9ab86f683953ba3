package io.tracewatch.cli;

import java.io.OutputStream;
import java.io.PrintStream;

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
}
