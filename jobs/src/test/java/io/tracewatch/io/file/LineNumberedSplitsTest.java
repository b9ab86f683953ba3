package io.tracewatch.io.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts a large JSON Lines file is cut into for batch replay: whole lines, numbered right. */
class LineNumberedSplitsTest {
    @TempDir
    java.nio.file.Path dir;

    @Test
    void eachPartStartsAtALineStartAndKnowsTheNumberOfItsFirstLine() throws Exception {
        java.nio.file.Path file = dir.resolve("scans.jsonl");
        Random random = new Random(5);
        List<Long> lineStarts = new ArrayList<>();
        long offset = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            while (offset < 3 * LineNumberedSplits.MIN_PART_BYTES + 12_345) {
                lineStarts.add(offset);
                // lines of every length modulo 8, some empty, so line ends fall on every byte of a word
                String line = "x".repeat(random.nextInt(700));
                out.write(line);
                out.write('\n');
                offset += line.length() + 1;
            }
        }
        Collection<FileSourceSplit> parts = new LineNumberedSplits(true).enumerateSplits(new Path[] {new Path(file.toUri())}, 2);

        assertThat(parts).hasSizeGreaterThan(1);
        long expectedOffset = 0;
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "r")) {
            for (FileSourceSplit part : parts) {
                assertThat(part.offset()).isEqualTo(expectedOffset);
                int index = lineStarts.indexOf(part.offset());
                assertThat(index).as("part at %d starts a line", part.offset()).isNotNegative();
                assertThat(LineNumberedSplits.firstLine(part)).isEqualTo(index + 1);
                if (part.offset() > 0) {
                    raw.seek(part.offset() - 1);
                    assertThat(raw.read()).isEqualTo('\n');
                }
                expectedOffset += part.length();
            }
        }
        assertThat(expectedOffset).isEqualTo(Files.size(file));
    }

    @Test
    void theWordAtATimeTestFindsExactlyTheLineFeeds() {
        Random random = new Random(11);
        byte[] alphabet = {'\n', 0, (byte) 0x8a, 0x0b, 0x09, 'a', (byte) 0xff, 0x7f};
        for (int round = 0; round < 100_000; round++) {
            long word = 0;
            long expected = 0;
            for (int b = 0; b < 8; b++) {
                byte value = alphabet[random.nextInt(alphabet.length)];
                word |= (value & 0xffL) << (8 * b);
                if (value == '\n') {
                    expected |= 0x80L << (8 * b);
                }
            }
            assertThat(LineNumberedSplits.newlineBytes(word)).as("word %016x", word).isEqualTo(expected);
        }
    }
}
