package io.tracewatch.job;

import io.tracewatch.settings.Checks;
import io.tracewatch.settings.ConfigException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** How the streaming job runs: parallelism, state backend, checkpoints and restarts. */
public record JobSettings(
        int parallelism,
        int maxParallelism,
        String stateBackend,
        String timerService,
        String rocksdbCompression,
        long rocksdbBlockSizeBytes,
        boolean rocksdbBloomFilter,
        boolean rocksdbPartitionedIndexFilters,
        double rocksdbWriteBufferRatio,
        String forstPrimaryDir,
        long checkpointIntervalMs,
        String checkpointDir,
        String savepointDir,
        int restartAttempts,
        long restartDelayMs)
        implements Serializable {

    /** What {@code job.state_backend} offers: Flink's names of its state backends. */
    static final List<String> STATE_BACKENDS = List.of("rocksdb", "forst", "hashmap");

    /** The compressions {@code job.rocksdb_compression} offers, as RocksDB names them. */
    static final Map<String, String> COMPRESSIONS = Map.of(
            "none", "NO_COMPRESSION", "snappy", "SNAPPY_COMPRESSION", "lz4", "LZ4_COMPRESSION", "zstd", "ZSTD_COMPRESSION");

    /** RocksDB's name of the configured compression. */
    String rocksdbCompressionType() {
        return COMPRESSIONS.get(rocksdbCompression);
    }

    public void validate() {
        Checks.atLeast(parallelism, 1, "job.parallelism");
        Checks.atLeast(maxParallelism, parallelism, "job.max_parallelism");
        if (!STATE_BACKENDS.contains(stateBackend)) {
            throw new ConfigException("job.state_backend must be one of " + STATE_BACKENDS + ", got '" + stateBackend + "'");
        }
        if (forstPrimaryDir == null) {
            throw new ConfigException("job.forst_primary_dir must be a directory URI or empty, got nothing");
        }
        if (!"rocksdb".equals(timerService) && !"heap".equals(timerService)) {
            throw new ConfigException("job.timer_service must be rocksdb or heap, got '" + timerService + "'");
        }
        if (!COMPRESSIONS.containsKey(rocksdbCompression)) {
            throw new ConfigException("job.rocksdb_compression must be one of " + COMPRESSIONS.keySet() + ", got '" + rocksdbCompression + "'");
        }
        Checks.atLeast(rocksdbBlockSizeBytes, 1024, "job.rocksdb_block_size_bytes");
        Checks.atMost(rocksdbBlockSizeBytes, 1 << 20, "job.rocksdb_block_size_bytes");
        // RocksDB's block cache keeps what write buffers leave of managed memory: neither may take it all
        Checks.atLeast(rocksdbWriteBufferRatio, 0.05, "job.rocksdb_write_buffer_ratio");
        Checks.atMost(rocksdbWriteBufferRatio, 0.9, "job.rocksdb_write_buffer_ratio");
        Checks.atLeast(checkpointIntervalMs, 10, "job.checkpoint_interval_ms");
        Checks.notBlank(checkpointDir, "job.checkpoint_dir");
        Checks.notBlank(savepointDir, "job.savepoint_dir");
        Checks.atLeast(restartAttempts, 0, "job.restart_attempts");
        Checks.atLeast(restartDelayMs, 0, "job.restart_delay_ms");
    }
}
