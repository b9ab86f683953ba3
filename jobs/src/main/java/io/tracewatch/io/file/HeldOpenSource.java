package io.tracewatch.io.file;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;

/**
 * A bounded source that reads to its end and then stays open, idle, until the job is stopped: a
 * bootstrap stops with a savepoint after the history is read. A finished source would send the end
 * of event time downstream, which passes every code's seal and retention at once, and a finished
 * task takes no part in a savepoint that a live job can continue from.
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
        return bounded.createEnumerator(new NeverEnding<>(context));
    }

    @Override
    public SplitEnumerator<S, C> restoreEnumerator(SplitEnumeratorContext<S> context, C checkpoint) throws Exception {
        return bounded.restoreEnumerator(new NeverEnding<>(context), checkpoint);
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
        return bounded.createReader(context);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return type;
    }

    /** The enumerator's context, except that it never tells a reader there are no more splits. */
    private record NeverEnding<S extends SourceSplit>(SplitEnumeratorContext<S> context) implements SplitEnumeratorContext<S> {
        @Override
        public void signalNoMoreSplits(int subtask) {
            // the reader asks once more, is given nothing, and waits
        }

        @Override
        public SplitEnumeratorMetricGroup metricGroup() {
            return context.metricGroup();
        }

        @Override
        public void sendEventToSourceReader(int subtask, SourceEvent event) {
            context.sendEventToSourceReader(subtask, event);
        }

        @Override
        public void sendEventToSourceReader(int subtask, int attempt, SourceEvent event) {
            context.sendEventToSourceReader(subtask, attempt, event);
        }

        @Override
        public int currentParallelism() {
            return context.currentParallelism();
        }

        @Override
        public Map<Integer, ReaderInfo> registeredReaders() {
            return context.registeredReaders();
        }

        @Override
        public Map<Integer, Map<Integer, ReaderInfo>> registeredReadersOfAttempts() {
            return context.registeredReadersOfAttempts();
        }

        @Override
        public void assignSplits(SplitsAssignment<S> assignment) {
            context.assignSplits(assignment);
        }

        @Override
        public <V> void callAsync(Callable<V> callable, BiConsumer<V, Throwable> handler) {
            context.callAsync(callable, handler);
        }

        @Override
        public <V> void callAsync(Callable<V> callable, BiConsumer<V, Throwable> handler, long initialDelay, long period) {
            context.callAsync(callable, handler, initialDelay, period);
        }

        @Override
        public void runInCoordinatorThread(Runnable runnable) {
            context.runInCoordinatorThread(runnable);
        }

        @Override
        public void setIsProcessingBacklog(boolean backlog) {
            context.setIsProcessingBacklog(backlog);
        }
    }
}
