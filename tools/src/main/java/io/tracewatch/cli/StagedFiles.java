package io.tracewatch.cli;

import io.tracewatch.embedded.ScratchDirectory;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The files a command writes, written under temporary names beside their final ones and renamed
 * only when the command has finished: a killed or failed run leaves no half-written file under a
 * final name, and never an input overwritten. A file that is one of the inputs (through a symlink,
 * a glob or a directory as well) or another output is refused before anything starts.
 */
final class StagedFiles implements AutoCloseable {
    private final List<Path> inputs = new ArrayList<>();
    private final Map<Path, Path> temporaryByTarget = new LinkedHashMap<>();
    private final Map<Path, String> optionByTarget = new LinkedHashMap<>();
    private final Thread cleanup = new Thread(this::deleteTemporaries, "tracewatch-staged-files-cleanup");

    StagedFiles(Collection<Path> inputs) {
        for (Path input : inputs) {
            this.inputs.add(real(input));
        }
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** The temporary file to write in place of {@code target}; it keeps the target's name as its ending, so its format is chosen alike. */
    Path stage(String option, Path target) {
        if (Files.isDirectory(real(target))) {
            throw new UsageException(option + ": " + target + " is a directory");
        }
        return staged(option, target);
    }

    /**
     * The temporary path, not yet made, to write a directory to in place of {@code target}, which
     * must not exist: a directory is never replaced.
     */
    Path stageDirectory(String option, Path target) {
        if (Files.exists(real(target))) {
            throw new UsageException(option + ": " + target + " already exists; give a new directory");
        }
        return staged(option, target);
    }

    private Path staged(String option, Path target) {
        Path resolved = real(target);
        if (inputs.contains(resolved)) {
            throw new UsageException(option + ": " + target + " is one of the inputs; write the output elsewhere");
        }
        String other = optionByTarget.get(resolved);
        if (other != null) {
            throw new UsageException(option + ": " + target + " is already the " + other + " file");
        }
        Path directory = resolved.getParent();
        if (!Files.isDirectory(directory) || !Files.isWritable(directory)) {
            throw new UsageException(option + ": cannot write in " + directory);
        }
        Path temporary = directory.resolve(".tracewatch-" + UUID.randomUUID().toString().substring(0, 8) + "-" + resolved.getFileName());
        try {
            // permissions do not tell (root may write anywhere, /proc takes no file): a file made and removed does
            Files.delete(Files.createFile(temporary));
        } catch (IOException e) {
            throw new UsageException(option + ": cannot write in " + directory + " (" + e.getClass().getSimpleName() + ")");
        }
        temporaryByTarget.put(resolved, temporary);
        optionByTarget.put(resolved, option);
        return temporary;
    }

    /** Every staged file to its final name; a staged file its writer never created becomes an empty one. */
    synchronized void commit() throws IOException {
        for (Map.Entry<Path, Path> staged : temporaryByTarget.entrySet()) {
            move(staged.getValue(), staged.getKey());
        }
        temporaryByTarget.clear();
    }

    /** Only this staged file to its final name, as the others are not worth keeping (a refused run's dead letters say why). */
    synchronized void commitOnly(Path target) throws IOException {
        Path temporary = temporaryByTarget.remove(real(target));
        if (temporary != null) {
            move(temporary, real(target));
        }
    }

    private static void move(Path temporary, Path target) throws IOException {
        if (!Files.exists(temporary)) {
            Files.createFile(temporary);
        }
        if (Files.isDirectory(temporary)) {
            // without REPLACE_EXISTING: a directory that has appeared there meanwhile, and holds anything, stays
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        try {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes what was not committed. */
    @Override
    public void close() {
        deleteTemporaries();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: it deletes them too
        }
    }

    private synchronized void deleteTemporaries() {
        for (Path temporary : temporaryByTarget.values()) {
            try {
                if (Files.isDirectory(temporary)) {
                    ScratchDirectory.deleteRecursively(temporary);
                } else {
                    Files.deleteIfExists(temporary);
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                System.err.println("tracewatch: could not delete " + temporary + ": " + e.getMessage());
            }
        }
        temporaryByTarget.clear();
    }

    /** The path with every symlink resolved, for a file that may not exist yet: its directory's real path and its name. */
    private static Path real(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath();
        } catch (IOException notThereYet) {
            Path parent = absolute.getParent();
            try {
                return parent.toRealPath().resolve(absolute.getFileName());
            } catch (IOException noParent) {
                return absolute;
            }
        }
    }
}
