package io.tracewatch.io.file;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Serializable;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Writes records to one local file, in the order they arrive: JSON Lines or an Avro container
 * file. Runs with parallelism 1, so there is one file and each code's records stay in the order
 * the detector emitted them. Meant for bounded replays; the streaming job writes to Kafka.
 */
public final class SingleFileSink<T> implements Sink<T> {
    /** Opens the file's writer; serializable, as the sink is shipped to the task that writes. */
    private interface Opener<T> extends Serializable {
        RecordWriter<T> open(OutputStream out) throws IOException;
    }

    private interface RecordWriter<T> {
        void write(T record) throws IOException;

        void flush() throws IOException;

        void close() throws IOException;
    }

    private final String path;
    private final Opener<T> opener;

    private SingleFileSink(Path path, Opener<T> opener) {
        this.path = path.toAbsolutePath().toString();
        this.opener = opener;
    }

    public static <T> SingleFileSink<T> jsonLines(Path path, SerializableFunction<T, String> encoder) {
        return new SingleFileSink<>(path, out -> new JsonLinesWriter<>(out, encoder));
    }

    public static <T extends SpecificRecord> SingleFileSink<T> avroContainer(Path path, Class<T> type) {
        return new SingleFileSink<>(path, out -> new AvroContainerWriter<>(out, type));
    }

    private static final class JsonLinesWriter<T> implements RecordWriter<T> {
        private final Writer writer;
        private final SerializableFunction<T, String> encoder;

        JsonLinesWriter(OutputStream out, SerializableFunction<T, String> encoder) {
            this.writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            this.encoder = encoder;
        }

        @Override
        public void write(T record) throws IOException {
            writer.write(encoder.apply(record));
            writer.write('\n');
        }

        @Override
        public void flush() throws IOException {
            writer.flush();
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }
    }

    private static final class AvroContainerWriter<T extends SpecificRecord> implements RecordWriter<T> {
        private final DataFileWriter<T> writer;

        AvroContainerWriter(OutputStream out, Class<T> type) throws IOException {
            writer = new DataFileWriter<>(new SpecificDatumWriter<>(type));
            writer.setCodec(CodecFactory.deflateCodec(3));
            writer.create(SpecificData.get().getSchema(type), out);
        }

        @Override
        public void write(T record) throws IOException {
            writer.append(record);
        }

        @Override
        public void flush() throws IOException {
            writer.flush();
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        if (context.getTaskInfo().getNumberOfParallelSubtasks() != 1) {
            throw new IllegalStateException("a single-file sink must run with parallelism 1: " + path);
        }
        Path file = Paths.get(path);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        RecordWriter<T> writer = opener.open(Files.newOutputStream(file));
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) throws IOException {
                writer.write(element);
            }

            @Override
            public void flush(boolean endOfInput) throws IOException {
                writer.flush();
            }

            @Override
            public void close() throws IOException {
                writer.close();
            }
        };
    }
}
