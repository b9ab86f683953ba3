package io.tracewatch.io.ports;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A source that never emits and never ends: the live job's stand-in for an input it does not have
 * (no register configured). A bounded stand-in would finish, and a finished task restored from a
 * checkpoint sends the end of time downstream past every operator of its chain: the detector's
 * event time would jump to the end after a failover, expiring every code.
 */
public final class NoRecords<T> implements Source<T, NoRecords.NoSplit, Boolean> {

    /** Never created: the source has no splits. */
    public record NoSplit() implements SourceSplit {
        @Override
        public String splitId() {
            return "none";
        }
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<NoSplit, Boolean> createEnumerator(SplitEnumeratorContext<NoSplit> context) {
        return new SplitEnumerator<>() {
            @Override
            public void start() {}

            @Override
            public void handleSplitRequest(int subtask, String host) {}

            @Override
            public void addSplitsBack(List<NoSplit> splits, int subtask) {}

            @Override
            public void addReader(int subtask) {}

            @Override
            public Boolean snapshotState(long checkpointId) {
                return Boolean.TRUE;
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public SplitEnumerator<NoSplit, Boolean> restoreEnumerator(SplitEnumeratorContext<NoSplit> context, Boolean checkpoint) {
        return createEnumerator(context);
    }

    @Override
    public SimpleVersionedSerializer<NoSplit> getSplitSerializer() {
        return new Flag<>(new NoSplit());
    }

    @Override
    public SimpleVersionedSerializer<Boolean> getEnumeratorCheckpointSerializer() {
        return new Flag<>(Boolean.TRUE);
    }

    @Override
    public SourceReader<T, NoSplit> createReader(SourceReaderContext context) {
        return new SourceReader<>() {
            private final CompletableFuture<Void> never = new CompletableFuture<>();

            @Override
            public void start() {}

            @Override
            public InputStatus pollNext(ReaderOutput<T> output) {
                return InputStatus.NOTHING_AVAILABLE;
            }

            @Override
            public List<NoSplit> snapshotState(long checkpointId) {
                return List.of();
            }

            @Override
            public CompletableFuture<Void> isAvailable() {
                return never;
            }

            @Override
            public void addSplits(List<NoSplit> splits) {}

            @Override
            public void notifyNoMoreSplits() {}

            @Override
            public void close() {
                // the future stays incomplete: completing or cancelling it wakes the task that is stopping
            }
        };
    }

    /** A value with nothing in it, written as no bytes. */
    private record Flag<V>(V value) implements SimpleVersionedSerializer<V> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(V ignored) {
            return new byte[0];
        }

        @Override
        public V deserialize(int version, byte[] serialized) {
            return value;
        }
    }
}
