package io.tracewatch.io.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Resolves what a user names as input: files, directories of files, or glob patterns. */
public final class InputFiles {
    private InputFiles() {}

    /**
     * @throws IllegalArgumentException naming the first input that does not exist, cannot be read or
     *     matches nothing
     */
    public static List<Path> resolve(List<String> inputs, List<String> suffixes) {
        List<Path> files = new ArrayList<>();
        for (String input : inputs) {
            if (input.contains("*") || input.contains("?") || input.contains("[")) {
                files.addAll(glob(input, suffixes));
                continue;
            }
            Path path = Paths.get(input);
            if (Files.isDirectory(path)) {
                List<Path> inDirectory = list(path, p -> true, suffixes);
                if (inDirectory.isEmpty()) {
                    throw new IllegalArgumentException("no input files (" + String.join(", ", suffixes) + ") in directory " + input);
                }
                files.addAll(inDirectory);
            } else if (!Files.exists(path)) {
                throw new IllegalArgumentException("input not found: " + input);
            } else if (!Files.isReadable(path)) {
                throw new IllegalArgumentException("input not readable: " + input);
            } else {
                files.add(path);
            }
        }
        return files;
    }

    private static List<Path> glob(String pattern, List<String> suffixes) {
        Path pathPattern = Paths.get(pattern);
        Path base = pathPattern.getParent() == null ? Paths.get(".") : pathPattern.getParent();
        while (base != null && base.toString().matches(".*[*?\\[].*")) {
            base = base.getParent();
        }
        Path root = base == null ? Paths.get(".") : base;
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        List<Path> matched = list(root, p -> matcher.matches(p) || matcher.matches(root.relativize(p)), List.of(""));
        if (matched.isEmpty()) {
            throw new IllegalArgumentException("no input files match " + pattern);
        }
        return matched;
    }

    private static List<Path> list(Path root, java.util.function.Predicate<Path> accept, List<String> suffixes) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(accept)
                    .filter(p -> suffixes.stream().anyMatch(s -> p.getFileName().toString().endsWith(s)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }
}
