package io.tracewatch.cli;

import io.tracewatch.settings.ConfigException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import org.apache.flink.runtime.util.EnvironmentInformation;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of {@code tracewatch.jar}: {@code java -jar tracewatch.jar <command> [options]}, or
 * {@code @file} for arguments read from a file. Errors reach the user as one line and an exit code,
 * never as a stack trace.
 */
public final class Main {
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;
    static final String NAME = "tracewatch";

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    private static List<Command> commands() {
        return List.of(new DemoCommand(), new RunCommand(), new ReplayCommand(), new BootstrapCommand(), new GenerateCommand(), new BrokerCommand(),
                new FeedCommand(), new TailCommand(), new VerifyCommand(), new PartiesCommand(), new RecallsCommand(), new SettingsCommand(),
                new BenchCommand(), new CompletionCommand());
    }

    /** Every command with its options, as picocli parses them and prints their usage and completion. */
    static CommandLine commandLine() {
        CommandSpec top = CommandSpec.create().name(NAME).mixinStandardHelpOptions(true).version(version());
        top.usageMessage().description("Real-time anomaly detection for drug traceability codes.")
                .footer("", "Run 'java -jar tracewatch.jar <command> --help' for a command's options.");
        CommandLine line = new CommandLine(top);
        for (Command command : commands()) {
            line.addSubcommand(command.name(), new CommandLine(command.options().spec(command).version(version())));
        }
        return line;
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        for (String arg : args) {
            // picocli reads @FILE as arguments, but passes a missing one on as a word it cannot place
            if (arg.length() > 1 && arg.startsWith("@") && !Files.isReadable(Paths.get(arg.substring(1)))) {
                err.println(NAME + ": cannot read the argument file " + arg.substring(1) + " (" + arg + " stands for the arguments it holds)");
                return EXIT_USAGE;
            }
        }
        CommandLine line = commandLine();
        ParseResult parsed;
        try {
            parsed = line.parseArgs(args);
        } catch (ParameterException e) {
            boolean top = e.getCommandLine() == line;
            String name = top ? NAME : NAME + " " + e.getCommandLine().getCommandName();
            if (top && e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
                err.println(name + ": unknown command '" + unmatched.getUnmatched().get(0) + "'; the commands are "
                        + String.join(", ", line.getSubcommands().keySet()));
            } else {
                err.println(name + ": " + e.getMessage());
            }
            PrintWriter suggestions = new PrintWriter(err, true);
            UnmatchedArgumentException.printSuggestions(e, suggestions);
            suggestions.flush();
            err.println("see: " + name + " --help");
            return EXIT_USAGE;
        }
        ParseResult chosen = parsed.hasSubcommand() ? parsed.subcommand() : parsed;
        if (chosen.isUsageHelpRequested()) {
            chosen.commandSpec().commandLine().usage(out);
            return 0;
        }
        if (chosen.isVersionHelpRequested()) {
            chosen.commandSpec().commandLine().printVersionHelp(out);
            return 0;
        }
        if (!parsed.hasSubcommand()) {
            err.println(NAME + ": which command? one of " + String.join(", ", line.getSubcommands().keySet()));
            line.usage(err);
            return EXIT_USAGE;
        }
        Command command = (Command) chosen.commandSpec().userObject();
        try {
            return command.run(Options.Parsed.of(chosen), out, err);
        } catch (UsageException e) {
            err.println(NAME + " " + command.name() + ": " + e.getMessage());
            err.println("see: " + NAME + " " + command.name() + " --help");
            return EXIT_USAGE;
        } catch (ConfigException e) {
            err.println(NAME + " " + command.name() + ": configuration: " + e.getMessage());
            return EXIT_USAGE;
        } catch (Exception | LinkageError | OutOfMemoryError e) {
            err.println(NAME + " " + command.name() + ": " + Failures.describe(e));
            return EXIT_FAILURE;
        }
    }

    private static String version() {
        String own = Main.class.getPackage().getImplementationVersion();
        return NAME + " " + (own == null ? "(development build)" : own) + ", Flink " + EnvironmentInformation.getVersion()
                + ", Java " + Runtime.version();
    }
}
