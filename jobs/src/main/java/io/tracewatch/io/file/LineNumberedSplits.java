package io.tracewatch.io.file;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Cuts large plain JSON Lines files into parts that readers decode in parallel, each part starting
 * at a line start and knowing the number of its first line, so that dead letters still name their
 * line and batch replay still orders each code's records by line. Finding the cuts takes one fast
 * pass over the file counting newlines. Compressed and Avro files, and small ones, stay whole.
 */
public final class LineNumberedSplits implements FileEnumerator {
    static final long MIN_PART_BYTES = 16L << 20;
    private static final int MAX_PARTS_PER_READER = 4;
    private static final char LINE_MARK = '@';
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final boolean split;

    /** @param split whether large files are cut into parts (batch replay) or read whole (streaming replay, which keeps file order) */
    public LineNumberedSplits(boolean split) {
        this.split = split;
    }

    /** The 1-based number of the first line of the part. */
    static long firstLine(FileSourceSplit part) {
        String id = part.splitId();
        return Long.parseLong(id.substring(id.lastIndexOf(LINE_MARK) + 1));
    }

    @Override
    public Collection<FileSourceSplit> enumerateSplits(Path[] paths, int minDesiredSplits) throws IOException {
        List<FileSourceSplit> parts = new ArrayList<>();
        for (Path path : paths) {
            FileSystem fs = path.getFileSystem();
            FileStatus status = fs.getFileStatus(path);
            long size = status.getLen();
            int wanted = (int) Math.min((long) minDesiredSplits * MAX_PARTS_PER_READER, size / MIN_PART_BYTES);
            if (!split || wanted < 2 || !plainText(fs, path)) {
                parts.add(part(parts.size(), path, 0, size, status, 1));
            } else {
                cut(fs, path, status, wanted, parts);
            }
        }
        return parts;
    }

    private static boolean plainText(FileSystem fs, Path path) throws IOException {
        try (InputStream in = fs.open(path)) {
            int first = in.read();
            return first != 0x1f && first != 'O';
        }
    }

    /**
     * One pass: counts lines and ends each part at the first line end after its share of bytes. The
     * pass runs before any reader starts, so it looks at eight bytes at a time.
     */
    private static void cut(FileSystem fs, Path path, FileStatus status, int wanted, List<FileSourceSplit> parts) throws IOException {
        long size = status.getLen();
        long target = size / wanted;
        long partStart = 0;
        long partFirstLine = 1;
        long line = 1;
        long position = 0;
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = fs.open(path)) {
            int n;
            while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                int words = n & ~7;
                for (int i = 0; i < n; ) {
                    long newlines;
                    int width;
                    if (i < words) {
                        newlines = newlineBytes((long) WORDS.get(buffer, i));
                        width = 8;
                    } else {
                        newlines = buffer[i] == '\n' ? 0x80 : 0;
                        width = 1;
                    }
                    while (newlines != 0) {
                        line++;
                        long next = position + i + (Long.numberOfTrailingZeros(newlines) >>> 3) + 1;
                        newlines &= newlines - 1;
                        if (next - partStart >= target && size - next >= target / 2) {
                            parts.add(part(parts.size(), path, partStart, next - partStart, status, partFirstLine));
                            partStart = next;
                            partFirstLine = line;
                        }
                    }
                    i += width;
                }
                position += n;
            }
        }
        parts.add(part(parts.size(), path, partStart, size - partStart, status, partFirstLine));
    }

    /** The high bit of each byte of the word that is a line feed, and no other bit. */
    static long newlineBytes(long word) {
        long x = word ^ 0x0a0a0a0a0a0a0a0aL;
        long y = (x & 0x7f7f7f7f7f7f7f7fL) + 0x7f7f7f7f7f7f7f7fL;
        return ~(y | x | 0x7f7f7f7f7f7f7f7fL);
    }

    private static FileSourceSplit part(int index, Path path, long offset, long length, FileStatus status, long firstLine) {
        return new FileSourceSplit(index + "" + LINE_MARK + firstLine, path, offset, length, status.getModificationTime(), status.getLen());
    }
}
