package io.tracewatch.job;

import java.util.HashMap;
import java.util.List;
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
        boolean heapTimers = "heap".equals(job.timerService());
        settings.put("state.backend.rocksdb.timer-service.factory", heapTimers ? "HEAP" : "ROCKSDB");
        settings.put("state.backend.forst.timer-service.factory", heapTimers ? "HEAP" : "ForStDB");
        // ForSt is RocksDB's fork: the same options under its own prefix, each backend reading its own
        for (String backend : List.of("rocksdb", "forst")) {
            String prefix = "state.backend." + backend + ".";
            // every level alike: nearly all of a region's codes lie in the last level, sealed, for years
            settings.put(prefix + "compression.per.level", job.rocksdbCompressionType());
            settings.put(prefix + "block.blocksize", job.rocksdbBlockSizeBytes() + "b");
            settings.put(prefix + "use-bloom-filter", Boolean.toString(job.rocksdbBloomFilter()));
            settings.put(prefix + "memory.partitioned-index-filters", Boolean.toString(job.rocksdbPartitionedIndexFilters()));
            settings.put(prefix + "memory.write-buffer-ratio", Double.toString(job.rocksdbWriteBufferRatio()));
        }
        if (!job.forstPrimaryDir().isBlank()) {
            // the detector is on the synchronous state API, which ForSt keeps local unless told otherwise
            settings.put("state.backend.forst.primary-dir", job.forstPrimaryDir());
            settings.put("state.backend.forst.sync.enforce-local", "false");
        }
        // keyed state size as RocksDB estimates it, per subtask: codes held and bytes of live data
        settings.put("state.backend.rocksdb.metrics.estimate-num-keys", "true");
        settings.put("state.backend.rocksdb.metrics.estimate-live-data-size", "true");
        settings.put("state.backend.rocksdb.metrics.total-sst-files-size", "true");
        // every record type has its own serializer: a generic (Kryo) fallback on the hot path would be a bug
        settings.put("pipeline.generic-types", "false");
        return Configuration.fromMap(settings);
    }
}
