package io.tracewatch.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * A set of RocksDB settings the state benchmarks compare, as tracewatch settings
 * ({@code job.rocksdb_*}; ForSt, RocksDB's fork, takes them too), and the short name that picks it
 * on the command line.
 */
record RocksDbSettings(String key, String name, List<String> settings) {
    /** Stands for the run's own directory in a setting's value. */
    private static final String RUN_DIR = "{run}";

    static final List<RocksDbSettings> MEASURED = List.of(
            new RocksDbSettings("configured", "as configured", List.of()),
            new RocksDbSettings("snappy-4kb", "Snappy, 4 KB blocks (Flink's defaults)",
                    List.of("job.rocksdb_compression=snappy", "job.rocksdb_block_size_bytes=4096")),
            new RocksDbSettings("lz4", "LZ4, 4 KB blocks", List.of("job.rocksdb_compression=lz4", "job.rocksdb_block_size_bytes=4096")),
            new RocksDbSettings("zstd", "ZSTD, 4 KB blocks", List.of("job.rocksdb_compression=zstd", "job.rocksdb_block_size_bytes=4096")),
            new RocksDbSettings("zstd-16kb", "ZSTD, 16 KB blocks",
                    List.of("job.rocksdb_compression=zstd", "job.rocksdb_block_size_bytes=16384")),
            new RocksDbSettings("zstd-64kb", "ZSTD, 64 KB blocks", List.of("job.rocksdb_compression=zstd", "job.rocksdb_block_size_bytes=65536")),
            // the rest change the configured settings only in what they name
            new RocksDbSettings("bloom", "as configured, with bloom filters", List.of("job.rocksdb_bloom_filter=true")),
            new RocksDbSettings("partitioned", "as configured, index and filters partitioned", List.of("job.rocksdb_partitioned_index_filters=true")),
            new RocksDbSettings("bloom-partitioned", "as configured, with bloom filters, index and filters partitioned",
                    List.of("job.rocksdb_bloom_filter=true", "job.rocksdb_partitioned_index_filters=true")),
            new RocksDbSettings("write-buffers-0.25", "as configured, write buffers 0.25 of managed memory",
                    List.of("job.rocksdb_write_buffer_ratio=0.25")),
            new RocksDbSettings("write-buffers-0.75", "as configured, write buffers 0.75 of managed memory",
                    List.of("job.rocksdb_write_buffer_ratio=0.75")),
            new RocksDbSettings("heap-timers", "as configured, timers on the heap", List.of("job.timer_service=heap")),
            // ForSt restores a canonical savepoint, as the held codes are, only with its timers on the heap
            new RocksDbSettings("forst", "ForSt, files on local disk, timers on the heap", List.of("job.state_backend=forst", "job.timer_service=heap")),
            new RocksDbSettings("forst-remote", "ForSt, files on a file-system path standing in for object storage, timers on the heap",
                    List.of("job.state_backend=forst", "job.timer_service=heap", "job.forst_primary_dir=" + RUN_DIR + "forst-primary")));

    /** The settings of a run whose files go under {@code dir}, which need not exist yet. */
    List<String> settingsIn(Path dir) {
        String uri = dir.toUri().toString();
        String under = uri.endsWith("/") ? uri : uri + "/";
        return settings.stream().map(setting -> setting.replace(RUN_DIR, under)).toList();
    }

    static List<String> keys() {
        return MEASURED.stream().map(RocksDbSettings::key).toList();
    }

    /** The measured settings with these short names, in the order given. */
    static List<RocksDbSettings> named(List<String> keys) {
        return keys.stream().map(key -> MEASURED.stream().filter(settings -> settings.key().equals(key)).findFirst().orElseThrow()).toList();
    }
}
