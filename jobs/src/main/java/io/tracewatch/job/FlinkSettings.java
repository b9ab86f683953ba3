package io.tracewatch.job;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/** The Flink configuration of the streaming job: state backend, checkpoints, restarts, parallelism. */
public final class FlinkSettings {
    private FlinkSettings() {}

    public static Configuration streaming(JobSettings job) {
        Map<String, String> settings = new HashMap<>();
        settings.put("execution.runtime-mode", "STREAMING");
        settings.put("parallelism.default", Integer.toString(job.parallelism()));
        // fixed up front: key groups bound how far keyed state can ever be rescaled
        settings.put("pipeline.max-parallelism", Integer.toString(job.maxParallelism()));
        settings.put("state.backend.type", job.stateBackend());
        settings.put("execution.checkpointing.incremental", "true");
        settings.put("execution.checkpointing.interval", job.checkpointIntervalMs() + " ms");
        settings.put("execution.checkpointing.mode", "EXACTLY_ONCE");
        settings.put("execution.checkpointing.dir", job.checkpointDir());
        settings.put("execution.checkpointing.savepoint-dir", job.savepointDir());
        settings.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        settings.put("execution.checkpointing.min-pause", Math.min(job.checkpointIntervalMs() / 2, 1000) + " ms");
        settings.put("restart-strategy.type", "fixed-delay");
        settings.put("restart-strategy.fixed-delay.attempts", Integer.toString(job.restartAttempts()));
        settings.put("restart-strategy.fixed-delay.delay", job.restartDelayMs() + " ms");
        // keyed state size as RocksDB estimates it, per subtask: codes held and bytes of live data
        settings.put("state.backend.rocksdb.timer-service.factory", job.timerService().toUpperCase(java.util.Locale.ROOT));
        // every level alike: nearly all of a region's codes lie in the last level, sealed, for years
        settings.put("state.backend.rocksdb.compression.per.level", job.rocksdbCompressionType());
        settings.put("state.backend.rocksdb.block.blocksize", job.rocksdbBlockSizeBytes() + "b");
        settings.put("state.backend.rocksdb.use-bloom-filter", Boolean.toString(job.rocksdbBloomFilter()));
        settings.put("state.backend.rocksdb.memory.partitioned-index-filters", Boolean.toString(job.rocksdbPartitionedIndexFilters()));
        settings.put("state.backend.rocksdb.memory.write-buffer-ratio", Double.toString(job.rocksdbWriteBufferRatio()));
        settings.put("state.backend.rocksdb.metrics.estimate-num-keys", "true");
        settings.put("state.backend.rocksdb.metrics.estimate-live-data-size", "true");
        settings.put("state.backend.rocksdb.metrics.total-sst-files-size", "true");
        // every record type has its own serializer: a generic (Kryo) fallback on the hot path would be a bug
        settings.put("pipeline.generic-types", "false");
        return Configuration.fromMap(settings);
    }
}
