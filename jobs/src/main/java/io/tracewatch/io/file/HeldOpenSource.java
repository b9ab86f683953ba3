package io.tracewatch.io.file;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A bounded source whose readers, once they have read all they were given, stay open until the
 * job is stopped: a bootstrap stops with a savepoint after the history is read. A finished reader
 * would send the end of event time downstream, which passes every code's seal and retention at
 * once, and a finished task takes no part in a savepoint that a live job can continue from.
 */
final class HeldOpenSource<T, S extends SourceSplit, C> implements Source<T, S, C>, ResultTypeQueryable<T> {
    private final Source<T, S, C> bounded;
    private final TypeInformation<T> type;

    HeldOpenSource(Source<T, S, C> bounded, TypeInformation<T> type) {
        this.bounded = bounded;
        this.type = type;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<S, C> createEnumerator(SplitEnumeratorContext<S> context) throws Exception {
        return bounded.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<S, C> restoreEnumerator(SplitEnumeratorContext<S> context, C checkpoint) throws Exception {
        return bounded.restoreEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<S> getSplitSerializer() {
        return bounded.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<C> getEnumeratorCheckpointSerializer() {
        return bounded.getEnumeratorCheckpointSerializer();
    }

    @Override
    public SourceReader<T, S> createReader(SourceReaderContext context) throws Exception {
        return new HeldOpenReader<>(bounded.createReader(context));
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return type;
    }

    /** The bounded reader, except that its end is an idle wait that never ends. */
    private static final class HeldOpenReader<T, S extends SourceSplit> implements SourceReader<T, S> {
        private final SourceReader<T, S> reader;
        private final CompletableFuture<Void> never = new CompletableFuture<>();
        private boolean ended;

        HeldOpenReader(SourceReader<T, S> reader) {
            this.reader = reader;
        }

        @Override
        public void start() {
            reader.start();
        }

        @Override
        public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
            if (ended) {
                return InputStatus.NOTHING_AVAILABLE;
            }
            InputStatus status = reader.pollNext(output);
            if (status != InputStatus.END_OF_INPUT) {
                return status;
            }
            ended = true;
            ReplayProgress.markEnded();
            return InputStatus.NOTHING_AVAILABLE;
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            // never completed: completing or cancelling it would wake the task that is stopping
            return ended ? never : reader.isAvailable();
        }

        @Override
        public List<S> snapshotState(long checkpointId) {
            return reader.snapshotState(checkpointId);
        }

        @Override
        public void addSplits(List<S> splits) {
            reader.addSplits(splits);
        }

        @Override
        public void notifyNoMoreSplits() {
            reader.notifyNoMoreSplits();
        }

        @Override
        public void handleSourceEvents(SourceEvent event) {
            reader.handleSourceEvents(event);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            reader.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void pauseOrResumeSplits(Collection<String> paused, Collection<String> resumed) {
            reader.pauseOrResumeSplits(paused, resumed);
        }

        @Override
        public void close() throws Exception {
            reader.close();
        }
    }
}
