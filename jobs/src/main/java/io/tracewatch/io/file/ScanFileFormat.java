package io.tracewatch.io.file;

import io.tracewatch.io.IngestedSerializer;
import io.tracewatch.io.codec.RawRecord;
import io.tracewatch.io.codec.ScanDecoder;
import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.Ingested;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.Path;

/**
 * Reads scan events from files: JSON Lines, gzip-compressed or not, and Avro container files of
 * ScanEvent, told apart by their first bytes. Each record is decoded where it is read, so dead
 * letters carry the file and the line (or record) number. Large plain files are read in parts whose
 * first line numbers {@link LineNumberedSplits} worked out.
 */
public final class ScanFileFormat implements BulkFormat<Ingested, FileSourceSplit> {
    private static final int BATCH_SIZE = 512;

    private final ScanDecoder decoder;

    public ScanFileFormat(ScanDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public Reader<Ingested> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return open(split, 0);
    }

    @Override
    public Reader<Ingested> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long emitted = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        return open(split, emitted);
    }

    /** Parts are cut by {@link LineNumberedSplits}, which knows where lines start. */
    @Override
    public boolean isSplittable() {
        return true;
    }

    @Override
    public TypeInformation<Ingested> getProducedType() {
        return IngestedSerializer.TYPE;
    }

    /** Why a file cannot be read as scan events, or null when it looks like JSON Lines or an Avro container. */
    public static String problemWith(java.nio.file.Path file) {
        try (InputStream raw = new BufferedInputStream(java.nio.file.Files.newInputStream(file), 1 << 12)) {
            InputStream in = raw;
            if (FileKind.of(in) == FileKind.GZIP) {
                in = new BufferedInputStream(new GZIPInputStream(in), 1 << 12);
            }
            if (FileKind.of(in) == FileKind.AVRO_CONTAINER) {
                try (DataFileStream<Object> container = new DataFileStream<>(in, new GenericDatumReader<>())) {
                    Schema schema = container.getSchema();
                    boolean scans = schema.getType() == Schema.Type.RECORD
                            && schema.getField("code") != null && schema.getField("event_type") != null && schema.getField("event_time") != null;
                    return scans ? null : file + " is an Avro container file of " + schema.getFullName() + ", not of ScanEvent";
                }
            }
            // one malformed line is a dead letter, not a wrong format: look at the first few lines
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int seen = 0;
            while ((line = lines.readLine()) != null && seen < 20) {
                String text = line.strip().replace("\uFEFF", "");
                if (text.isEmpty()) {
                    continue;
                }
                if (text.startsWith("{")) {
                    return null;
                }
                seen++;
            }
            if (seen == 0) {
                return null;
            }
            return file + " is neither JSON Lines (one JSON object per line) nor an Avro container file of ScanEvent";
        } catch (IOException e) {
            return "cannot read " + file + ": " + e.getMessage();
        }
    }

    private Reader<Ingested> open(FileSourceSplit split, long alreadyEmitted) throws IOException {
        Path path = split.path();
        org.apache.flink.core.fs.FSDataInputStream file = path.getFileSystem().open(path);
        file.seek(split.offset());
        InputStream in = new BufferedInputStream(
                ReplayProgress.counting(limited(file, split.length())), 1 << 16);
        FileKind kind = FileKind.of(in);
        if (kind == FileKind.GZIP) {
            in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            kind = FileKind.of(in);
        }
        RecordReader reader = kind == FileKind.AVRO_CONTAINER
                ? new AvroRecords(in, path.toString(), decoder)
                : new JsonLines(in, path.toString(), LineNumberedSplits.firstLine(split), decoder);
        return new BatchReader(reader, path.getPath(), alreadyEmitted);
    }

    /** The next {@code length} bytes of {@code in}: one part of a file. */
    private static InputStream limited(InputStream in, long length) {
        return new java.io.FilterInputStream(in) {
            private long remaining = length;

            @Override
            public int read() throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int b = super.read();
                if (b >= 0) {
                    remaining--;
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int count) throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int n = super.read(buffer, offset, (int) Math.min(count, remaining));
                if (n > 0) {
                    remaining -= n;
                }
                return n;
            }
        };
    }

    /** What a file holds, by its first bytes. */
    enum FileKind {
        GZIP, AVRO_CONTAINER, TEXT;

        static FileKind of(InputStream in) throws IOException {
            in.mark(4);
            byte[] magic = in.readNBytes(4);
            in.reset();
            if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
                return GZIP;
            }
            if (magic.length == 4 && magic[0] == 'O' && magic[1] == 'b' && magic[2] == 'j' && magic[3] == 1) {
                return AVRO_CONTAINER;
            }
            return TEXT;
        }
    }

    /** One record at a time from one file; null at the end. */
    private interface RecordReader extends AutoCloseable {
        Ingested next() throws IOException;

        @Override
        void close() throws IOException;
    }

    private static final class JsonLines implements RecordReader {
        private final LineReader lines;
        private final String source;
        private final ScanDecoder decoder;

        JsonLines(InputStream in, String source, long firstLine, ScanDecoder decoder) {
            this.lines = new LineReader(in, decoder.maxRecordBytes(), firstLine);
            this.source = source;
            this.decoder = decoder;
        }

        @Override
        public Ingested next() throws IOException {
            RawRecord record = lines.next();
            return record == null ? null : decoder.json(record, new DeadLetters.Origin(source, lines.lineNumber(), null));
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

    /**
     * Records of an Avro container file. A corrupt block ends the file with one dead letter saying
     * where, rather than failing the job: the records before it are kept.
     */
    private static final class AvroRecords implements RecordReader {
        private final DataFileStream<ScanEvent> records;
        private final String source;
        private final ScanDecoder decoder;
        private long recordNumber;
        private boolean broken;

        AvroRecords(InputStream in, String source, ScanDecoder decoder) throws IOException {
            this.records = new DataFileStream<>(in, new SpecificDatumReader<>(ScanEvent.class));
            this.source = source;
            this.decoder = decoder;
        }

        @Override
        public Ingested next() throws IOException {
            if (broken) {
                return null;
            }
            try {
                if (!records.hasNext()) {
                    return null;
                }
                recordNumber++;
                return decoder.event(records.next(), new DeadLetters.Origin(source, recordNumber, null));
            } catch (RuntimeException e) {
                broken = true;
                String reason = "corrupt Avro container file: records from " + recordNumber + " on are unreadable ("
                        + e.getClass().getSimpleName() + ")";
                RawRecord nothing = RawRecord.whole(new byte[0]);
                return Ingested.newBuilder()
                        .setSource(source)
                        .setArrival(recordNumber)
                        .setDeadLetter(DeadLetters.ofBinary(reason, nothing, new DeadLetters.Origin(source, recordNumber, null), null, null))
                        .build();
            }
        }

        @Override
        public void close() throws IOException {
            records.close();
        }
    }

    private static final class BatchReader implements Reader<Ingested> {
        private final RecordReader reader;
        private final String file;
        private long emitted;

        BatchReader(RecordReader reader, String file, long alreadyEmitted) throws IOException {
            this.reader = reader;
            this.file = file;
            while (emitted < alreadyEmitted && reader.next() != null) {
                emitted++;
            }
        }

        @Override
        public RecordIterator<Ingested> readBatch() throws IOException {
            Ingested[] batch = new Ingested[BATCH_SIZE];
            int count = 0;
            Ingested record;
            try {
                while (count < BATCH_SIZE && (record = reader.next()) != null) {
                    batch[count++] = record;
                }
            } catch (java.io.EOFException e) {
                throw new IOException("cannot read " + file + ": it ends inside its compressed data, after " + (emitted + count)
                        + " records of this part (a truncated gzip file?)", e);
            } catch (IOException e) {
                throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            if (count == 0) {
                return null;
            }
            ReplayProgress.recordsRead(count);
            ArrayResultIterator<Ingested> iterator = new ArrayResultIterator<>();
            iterator.set(batch, count, CheckpointedPosition.NO_OFFSET, emitted);
            emitted += count;
            return iterator;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
