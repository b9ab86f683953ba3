package io.tracewatch.cli;

import java.io.PrintStream;
import picocli.AutoComplete;

/**
 * {@code completion}: a bash completion script for every command and option. With
 * {@code alias tracewatch='java -jar /path/to/tracewatch.jar'}, {@code source <(tracewatch completion)}
 * completes them.
 */
final class CompletionCommand implements Command {
    @Override
    public String name() {
        return "completion";
    }

    @Override
    public String summary() {
        return "print a bash completion script: source <(java -jar tracewatch.jar completion)";
    }

    @Override
    public Options options() {
        return new Options(name(), summary());
    }

    @Override
    public int run(Options.Parsed args, PrintStream out, PrintStream err) {
        out.print(AutoComplete.bash(Main.NAME, Main.commandLine()));
        return 0;
    }
}
