package io.tracewatch.bench;

import java.util.List;

/**
 * A set of RocksDB settings the state benchmarks compare, as tracewatch settings
 * ({@code job.rocksdb_*}), and the short name that picks it on the command line.
 */
record RocksDbSettings(String key, String name, List<String> settings) {
    static final List<RocksDbSettings> MEASURED = List.of(
            new RocksDbSettings("configured", "as configured", List.of()),
            new RocksDbSettings("snappy-4kb", "Snappy, 4 KB blocks (Flink's defaults)",
                    List.of("job.rocksdb_compression=snappy", "job.rocksdb_block_size_bytes=4096")),
            new RocksDbSettings("lz4", "LZ4, 4 KB blocks", List.of("job.rocksdb_compression=lz4", "job.rocksdb_block_size_bytes=4096")),
            new RocksDbSettings("zstd", "ZSTD, 4 KB blocks", List.of("job.rocksdb_compression=zstd", "job.rocksdb_block_size_bytes=4096")),
            new RocksDbSettings("zstd-16kb", "ZSTD, 16 KB blocks (tracewatch's defaults)",
                    List.of("job.rocksdb_compression=zstd", "job.rocksdb_block_size_bytes=16384")));

    static List<String> keys() {
        return MEASURED.stream().map(RocksDbSettings::key).toList();
    }

    /** The measured settings with these short names, in the order given. */
    static List<RocksDbSettings> named(List<String> keys) {
        return keys.stream().map(key -> MEASURED.stream().filter(settings -> settings.key().equals(key)).findFirst().orElseThrow()).toList();
    }
}
