package io.tracewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate} writes whole files or none, and refuses a target it would misuse. */
class GenerateCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesCompleteFilesUnderTheirNamesAndNothingElse() throws Exception {
        Path scans = dir.resolve("g.jsonl.gz");
        MainAccess.Result result = MainAccess.capture("generate", "--codes", "5", "--output", scans.toString(), "--recalls",
                dir.resolve("recalls.jsonl").toString());
        assertThat(result.exit()).as(result.err()).isZero();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(scans))) {
            assertThat(new String(in.readAllBytes())).contains("\"event_id\"");
        }
        assertThat(names()).containsExactlyInAnyOrder("g.jsonl.gz", "g.labels.jsonl", "recalls.jsonl");
    }

    @Test
    void oneFileForTwoOutputsAnAvroNameADirectoryOrAMissingDirectoryAreRefused() throws Exception {
        Path same = dir.resolve("c.jsonl");
        MainAccess.Result sameFile = MainAccess.capture("generate", "--codes", "5", "--output", same.toString(), "--labels", same.toString());
        assertThat(sameFile.exit()).isEqualTo(2);
        assertThat(sameFile.err()).contains("--labels", "is already the --output file");

        MainAccess.Result avro = MainAccess.capture("generate", "--codes", "5", "--output", dir.resolve("x.avro").toString());
        assertThat(avro.exit()).isEqualTo(2);
        assertThat(avro.err()).contains("JSON Lines");

        MainAccess.Result directory = MainAccess.capture("generate", "--codes", "5", "--output", dir.toString());
        assertThat(directory.exit()).isEqualTo(2);
        assertThat(directory.err()).contains("is a directory");

        MainAccess.Result missing = MainAccess.capture("generate", "--codes", "5", "--output", dir.resolve("no/such/dir/g.jsonl").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot write in");

        assertThat(names()).as("nothing written").isEmpty();
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
