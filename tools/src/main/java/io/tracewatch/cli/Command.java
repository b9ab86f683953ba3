package io.tracewatch.cli;

import java.io.PrintStream;

/** A subcommand of the tracewatch jar. */
interface Command {

    String name();

    /** One line for the list of commands. */
    String summary();

    Options options();

    /** @return the process exit code */
    int run(Options.Parsed args, PrintStream out, PrintStream err) throws Exception;
}
