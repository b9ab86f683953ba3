package io.tracewatch.io.file;

import io.tracewatch.io.codec.RawRecord;
import io.tracewatch.io.codec.DeadLetters;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Reads JSON Lines as raw bytes, one record per line, never holding more of a line than the record
 * size limit: a longer line is streamed through a digest and kept only as its first bytes. Lines end
 * at LF; a CR before it belongs to the line end. Blank lines (nothing but spaces, tabs and CR) are
 * skipped, and a UTF-8 byte order mark at the start of the file is not part of the first record.
 */
public final class LineReader implements Closeable {
    private static final int BUFFER_BYTES = 1 << 16;

    private final InputStream in;
    private final int maxRecordBytes;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int position;
    private int limit;
    private boolean atFileStart;
    private long lineNumber;

    private byte[] line = new byte[256];
    private int lineLength;
    /** Set once the current line passed the size limit: the rest only goes through the digest. */
    private MessageDigest overflow;
    private long overflowLength;
    /** A CR seen last in an oversized line, not yet known to be part of the line. */
    private boolean pendingCr;

    /**
     * @param firstLine number of the first line this reader sees (a part of a file starts later)
     */
    public LineReader(InputStream in, int maxRecordBytes, long firstLine) {
        this.in = in;
        this.maxRecordBytes = maxRecordBytes;
        this.atFileStart = firstLine == 1;
        this.lineNumber = firstLine - 1;
    }

    /** Number of the line that {@link #next()} returned last. */
    public long lineNumber() {
        return lineNumber;
    }

    /** The next record that is not a blank line, or null at the end of the input. */
    public RawRecord next() throws IOException {
        while (true) {
            if (!readLine()) {
                return null;
            }
            lineNumber++;
            if (overflow != null) {
                byte[] head = Arrays.copyOf(line, Math.min(lineLength, DeadLetters.RAW_LIMIT_BYTES));
                RawRecord record = RawRecord.oversized(head, overflowLength, overflow.digest());
                overflow = null;
                return record;
            }
            int start = 0;
            if (atFileStart) {
                atFileStart = false;
                if (lineLength >= 3 && (line[0] & 0xff) == 0xef && (line[1] & 0xff) == 0xbb && (line[2] & 0xff) == 0xbf) {
                    start = 3;
                }
            }
            if (lineLength - start > maxRecordBytes) {
                byte[] record = Arrays.copyOfRange(line, start, lineLength);
                return RawRecord.oversized(Arrays.copyOf(record, Math.min(record.length, DeadLetters.RAW_LIMIT_BYTES)), record.length,
                        RawRecord.newSha256().digest(record));
            }
            if (!isBlank(line, start, lineLength)) {
                return RawRecord.whole(Arrays.copyOfRange(line, start, lineLength));
            }
        }
    }

    /** Reads one line into {@link #line} (or the digest), without its line end; false at the end of the input. */
    private boolean readLine() throws IOException {
        lineLength = 0;
        overflowLength = 0;
        pendingCr = false;
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    pendingCr = false;
                    if (any && overflow == null && lineLength > 0 && line[lineLength - 1] == '\r') {
                        lineLength--;
                    }
                    return any;
                }
            }
            any = true;
            int end = position;
            while (end < limit && buffer[end] != '\n') {
                end++;
            }
            append(buffer, position, end - position);
            boolean lineEnds = end < limit;
            position = lineEnds ? end + 1 : end;
            if (lineEnds) {
                if (overflow == null) {
                    if (lineLength > 0 && line[lineLength - 1] == '\r') {
                        lineLength--;
                    }
                } else {
                    // a CR held back at the end is part of the line end, not of the record
                    pendingCr = false;
                }
                return true;
            }
        }
    }

    private void append(byte[] bytes, int from, int count) {
        if (count == 0) {
            return;
        }
        if (overflow == null && lineLength + count <= maxRecordBytes + 1) {
            // one byte over the limit may still be the CR of a CR LF line end
            ensureCapacity(lineLength + count);
            System.arraycopy(bytes, from, line, lineLength, count);
            lineLength += count;
            return;
        }
        if (overflow == null) {
            overflow = RawRecord.newSha256();
            overflow.update(line, 0, lineLength);
            overflowLength = lineLength;
            int keep = Math.min(DeadLetters.RAW_LIMIT_BYTES, lineLength);
            lineLength = keep;
        }
        if (pendingCr) {
            overflow.update((byte) '\r');
            overflowLength++;
            pendingCr = false;
        }
        int stored = Math.min(count, DeadLetters.RAW_LIMIT_BYTES - lineLength);
        if (stored > 0) {
            ensureCapacity(lineLength + stored);
            System.arraycopy(bytes, from, line, lineLength, stored);
            lineLength += stored;
        }
        int digested = count;
        if (bytes[from + count - 1] == '\r') {
            digested--;
            pendingCr = true;
        }
        overflow.update(bytes, from, digested);
        overflowLength += digested;
    }

    private void ensureCapacity(int needed) {
        if (needed > line.length) {
            line = Arrays.copyOf(line, Math.max(needed, line.length * 2));
        }
    }

    /** Only spaces, tabs and carriage returns (contract v1.1): other white space is a record, and a broken one. */
    private static boolean isBlank(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
