package io.tracewatch.bench;

import java.util.List;

/**
 * A set of RocksDB settings the state benchmarks compare, as tracewatch settings
 * ({@code job.rocksdb_*}), and the short name that picks it on the command line.
 */
record RocksDbSettings(String key, String name, List<String> settings) {
    static final List<RocksDbSettings> MEASURED = List.of(
            new RocksDbSettings("default", "Snappy, 4 KB blocks (Flink's and tracewatch's defaults)", List.of()),
            new RocksDbSettings("lz4", "LZ4", List.of("job.rocksdb_compression=lz4")),
            new RocksDbSettings("zstd", "ZSTD", List.of("job.rocksdb_compression=zstd")),
            new RocksDbSettings("zstd-16kb", "ZSTD, 16 KB blocks",
                    List.of("job.rocksdb_compression=zstd", "job.rocksdb_block_size_bytes=16384")));

    static List<String> keys() {
        return MEASURED.stream().map(RocksDbSettings::key).toList();
    }

    /** The measured settings with these short names, in the order measured. */
    static List<RocksDbSettings> named(List<String> keys) {
        return MEASURED.stream().filter(settings -> keys.contains(settings.key())).toList();
    }
}
