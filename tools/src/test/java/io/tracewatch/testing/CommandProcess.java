package io.tracewatch.testing;

import io.tracewatch.cli.MainAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** One tracewatch command in a JVM of its own, as a user or a process manager starts it; its output in a file. */
public record CommandProcess(String name, Process process, Path log) {

    public static CommandProcess start(Path dir, String name, Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-cp", System.getProperty("java.class.path"), MainAccess.MAIN_CLASS));
        command.addAll(List.of(args));
        Path log = dir.resolve(name + "-" + System.nanoTime() + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new CommandProcess(name, builder.start(), log);
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    /** The first line that matches, waiting for it. */
    public String awaitLine(Predicate<String> wanted, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : output().split("\n")) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " ended with " + process.exitValue() + ":\n" + output());
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " did not print the line in " + timeout + ":\n" + output());
    }

    /** Sends SIGTERM and returns how long the process took to end. */
    public long terminate() throws Exception {
        long started = System.nanoTime();
        process.destroy();
        boolean ended = process.waitFor(30, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (!ended) {
            process.destroyForcibly();
        }
        System.out.printf("%s: stopped %d ms after SIGTERM%n", name, millis);
        return millis;
    }

    /** SIGKILL, as a machine failure would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Sends a signal by name (STOP, CONT) with kill(1). */
    public void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " failed");
        }
    }
}
