package io.tracewatch.io;

import io.tracewatch.model.internal.Ingested;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * Reads JSON Lines files of scan events (gzip-compressed when the name ends in {@code .gz}),
 * decoding each line where it is read so that dead letters carry the file and the line number.
 * Files are not split: a line number is only known by reading from the start.
 */
public final class JsonLinesScanFormat implements BulkFormat<Ingested, FileSourceSplit> {
    private static final int BATCH_LINES = 512;

    @Override
    public Reader<Ingested> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new LineReader(split.path(), 0);
    }

    @Override
    public Reader<Ingested> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long emitted = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        return new LineReader(split.path(), emitted);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<Ingested> getProducedType() {
        return new AvroTypeInfo<>(Ingested.class);
    }

    private static final class LineReader implements Reader<Ingested> {
        private final BufferedReader lines;
        private final String source;
        private long lineNumber;
        private long emitted;

        LineReader(Path path, long alreadyEmitted) throws IOException {
            InputStream in = path.getFileSystem().open(path);
            if (path.getName().endsWith(".gz")) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
            this.source = path.toString();
            while (emitted < alreadyEmitted && nextRecordLine() != null) {
                emitted++;
            }
        }

        /** The next non-blank line, counting every line read; null at the end. */
        private String nextRecordLine() throws IOException {
            String line;
            while ((line = lines.readLine()) != null) {
                lineNumber++;
                if (!line.isBlank()) {
                    return line;
                }
            }
            return null;
        }

        @Override
        public RecordIterator<Ingested> readBatch() throws IOException {
            Ingested[] batch = new Ingested[BATCH_LINES];
            int count = 0;
            String line;
            while (count < BATCH_LINES && (line = nextRecordLine()) != null) {
                batch[count++] = ScanDecoding.fromJson(line, source, lineNumber, null);
            }
            if (count == 0) {
                return null;
            }
            ArrayResultIterator<Ingested> iterator = new ArrayResultIterator<>();
            iterator.set(batch, count, CheckpointedPosition.NO_OFFSET, emitted);
            emitted += count;
            return iterator;
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }
}
