package io.tracewatch.io.file;

import io.tracewatch.io.codec.ScanDecoder;
import io.tracewatch.io.ports.ScanSource;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.savepoint.SavepointNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;
import org.apache.flink.connector.file.src.assigners.SimpleSplitAssigner;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Scan events from files (bounded): JSON Lines, gzip or not, and Avro container files. */
public final class FileScanSource implements ScanSource {
    public static final String UID = SavepointNames.SCAN_FILES_UID;
    private final List<java.nio.file.Path> files;
    private final boolean readInParts;
    private final boolean heldOpen;

    /**
     * A source that reads the files whole, each in line order. Streaming, one reader reads them one
     * after another in the order given: the lines' order, across files too, is their arrival order,
     * as in one upload stream. Files read side by side would each make the other's scans late.
     */
    public FileScanSource(List<java.nio.file.Path> files) {
        this(files, false);
    }

    /**
     * @param readInParts whether large files are read in parts in parallel (batch replay, which
     *     orders each code's records by line number anyway) rather than whole, in order
     */
    public FileScanSource(List<java.nio.file.Path> files, boolean readInParts) {
        this(files, readInParts, false);
    }

    private FileScanSource(List<java.nio.file.Path> files, boolean readInParts, boolean heldOpen) {
        this.files = List.copyOf(files);
        this.readInParts = readInParts;
        this.heldOpen = heldOpen;
    }

    /**
     * The files read whole and in order, as by {@link #FileScanSource(List)}, by a reader that then
     * stays open until the job is stopped (a bootstrap): the watermark stays where the files left it.
     */
    public static FileScanSource heldOpen(List<java.nio.file.Path> files) {
        return new FileScanSource(files, false, true);
    }

    @Override
    public boolean bounded() {
        return !heldOpen;
    }

    @Override
    public DataStream<Ingested> create(StreamExecutionEnvironment env, WatermarkStrategy<Ingested> watermarks, ScanDecoder decoder) {
        Path[] paths = files.stream().map(f -> new Path(f.toUri())).toArray(Path[]::new);
        boolean parts = readInParts;
        FileSource.FileSourceBuilder<Ingested> builder = FileSource.forBulkFileFormat(new ScanFileFormat(decoder), paths)
                .setFileEnumerator(() -> new LineNumberedSplits(parts));
        // a batch run orders each code's records itself: its readers need no order between them
        boolean inOrder = !readInParts && env.getConfiguration().get(ExecutionOptions.RUNTIME_MODE) != RuntimeExecutionMode.BATCH;
        if (inOrder) {
            builder.setSplitAssigner(FileScanSource::inGivenOrder);
        }
        FileSource<Ingested> source = builder.build();
        DataStreamSource<Ingested> read = heldOpen
                ? env.fromSource(new HeldOpenSource<>(source, source.getProducedType()), watermarks, "scan files (held open)")
                : env.fromSource(source, watermarks, "scan files");
        if (inOrder) {
            read.setParallelism(1);
        }
        return read.uid(UID);
    }

    /** The files' splits handed out in the order the files were given (the simple assigner takes from the end). */
    private static FileSplitAssigner inGivenOrder(Collection<FileSourceSplit> splits) {
        List<FileSourceSplit> reversed = new ArrayList<>(splits);
        Collections.reverse(reversed);
        return new SimpleSplitAssigner(reversed);
    }
}
