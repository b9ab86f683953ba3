package io.tracewatch.cli;

import io.tracewatch.config.ConfigException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code tracewatch.jar}: {@code java -jar tracewatch.jar <command> [options]}.
 * Errors reach the user as one line and an exit code, never as a stack trace.
 */
public final class Main {
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    private static final List<Command> COMMANDS = List.of(new DemoCommand(), new RunCommand(), new ReplayCommand(), new GenerateCommand(),
            new FeedCommand(), new TailCommand(), new VerifyCommand(), new PartiesCommand(), new SettingsCommand(), new BenchCommand());

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(usage());
            return EXIT_USAGE;
        }
        if (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(usage());
            return 0;
        }
        Command command = COMMANDS.stream().filter(c -> c.name().equals(args[0])).findFirst().orElse(null);
        if (command == null) {
            err.println("tracewatch: unknown command '" + args[0] + "'");
            err.print(usage());
            return EXIT_USAGE;
        }
        Options options = command.options();
        try {
            Options.Parsed parsed = options.parse(Arrays.copyOfRange(args, 1, args.length));
            if (parsed.has("help")) {
                out.print(options.usage());
                return 0;
            }
            return command.run(parsed, out, err);
        } catch (UsageException e) {
            err.println("tracewatch " + command.name() + ": " + e.getMessage());
            err.println("see: tracewatch " + command.name() + " --help");
            return EXIT_USAGE;
        } catch (ConfigException e) {
            err.println("tracewatch " + command.name() + ": configuration: " + e.getMessage());
            return EXIT_USAGE;
        } catch (Exception | LinkageError | OutOfMemoryError e) {
            err.println("tracewatch " + command.name() + ": " + Failures.describe(e));
            return EXIT_FAILURE;
        }
    }

    static String usage() {
        StringBuilder text = new StringBuilder("usage: java -jar tracewatch.jar <command> [options]\n\ncommands:\n");
        for (Command command : COMMANDS) {
            text.append(String.format("  %-10s %s%n", command.name(), command.summary()));
        }
        text.append("\nRun 'java -jar tracewatch.jar <command> --help' for a command's options.\n");
        return text.toString();
    }
}
