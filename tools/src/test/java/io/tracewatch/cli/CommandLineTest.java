package io.tracewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command line gives a user beyond the commands: help, version, suggestions, argument files, completion. */
class CommandLineTest {
    @TempDir
    Path dir;

    @Test
    void typosGetOneLineASuggestionAndExitCodeTwo() {
        MainAccess.Result command = MainAccess.capture("tial");
        assertThat(command.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(command.err()).startsWith("tracewatch: unknown command 'tial'; the commands are demo, run, replay")
                .contains("see: tracewatch --help").doesNotContain("Exception");

        MainAccess.Result option = MainAccess.capture("replay", "--inptu", "scans.jsonl");
        assertThat(option.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(option.err()).contains("tracewatch replay: Unknown option").contains("--input")
                .contains("see: tracewatch replay --help");

        MainAccess.Result twice = MainAccess.capture("broker", "--port", "1", "--port", "2");
        assertThat(twice.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(twice.err()).contains("--port").contains("only once");
    }

    @Test
    void argumentsComeFromAFileToo() throws Exception {
        Path arguments = dir.resolve("replay.args");
        Files.writeString(arguments, "--input\n" + dir.resolve("missing.jsonl") + "\n");
        MainAccess.Result replay = MainAccess.capture("replay", "@" + arguments);
        assertThat(replay.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(replay.err()).startsWith("tracewatch replay: input not found").contains("missing.jsonl");

        MainAccess.Result missingFile = MainAccess.capture("replay", "@" + dir.resolve("no-such.args"));
        assertThat(missingFile.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(missingFile.err()).startsWith("tracewatch: cannot read the argument file").doesNotContain("Unmatched");
    }

    @Test
    void helpVersionAndCompletion() {
        MainAccess.Result help = MainAccess.capture("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("broker").contains("completion").contains("replay");

        MainAccess.Result version = MainAccess.capture("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("tracewatch ").contains("Flink 2.2");

        MainAccess.Result brokerHelp = MainAccess.capture("broker", "--help");
        assertThat(brokerHelp.out()).contains("--port=PORT").contains("--data-dir=DIR").contains("--set=KEY=VALUE");

        MainAccess.Result completion = MainAccess.capture("completion");
        assertThat(completion.exit()).isZero();
        assertThat(completion.out()).contains("complete -F _complete_tracewatch").contains("--data-dir").contains("--anomaly-rate");
    }
}
