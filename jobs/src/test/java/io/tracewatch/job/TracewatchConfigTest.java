package io.tracewatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracewatch.detect.DetectionConfig;
import io.tracewatch.io.kafka.RecordFormat;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.Severity;
import io.tracewatch.rules.RuleId;
import io.tracewatch.settings.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings loaded from the defaults, a file and overrides, with mistakes that name the setting. */
class TracewatchConfigTest {

    @Test
    void defaultsAreTheContractThresholds() {
        DetectionConfig detection = TracewatchConfig.defaults().detection();
        assertThat(detection.maxSpeedKmh()).isEqualTo(120);
        assertThat(detection.locationSlackKm()).isEqualTo(50);
        assertThat(detection.severity().of(RuleId.POST_DISPENSE_RESALE)).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void aFileIsMergedOverTheDefaultsAndOverridesComeLast(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, "detection:\n  max_speed_kmh: 90\n  severity:\n    impossible_route: HIGH\n");
        DetectionConfig detection = TracewatchConfig.load(file, List.of("detection.location_slack_km=20")).detection();
        assertThat(detection.maxSpeedKmh()).isEqualTo(90);
        assertThat(detection.locationSlackKm()).isEqualTo(20);
        assertThat(detection.severity().of(RuleId.IMPOSSIBLE_ROUTE)).isEqualTo(Severity.HIGH);
        assertThat(detection.severity().of(RuleId.DUPLICATE_SALE)).isEqualTo(Severity.HIGH);
        assertThat(detection.orderingDelayMs()).isEqualTo(5000);
    }

    @Test
    void mistakesNameTheSetting(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> TracewatchConfig.load(null, List.of("detection.max_sped_kmh=3")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown setting detection.max_sped_kmh")
                .hasMessageContaining("max_speed_kmh");
        assertThatThrownBy(() -> TracewatchConfig.load(null, List.of("detection.max_speed_kmh=fast")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("detection.max_speed_kmh");
        assertThatThrownBy(() -> TracewatchConfig.load(null, List.of("detection.max_speed_kmh=-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> TracewatchConfig.load(null, List.of("detection.severity.duplicate_sale=URGENT")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("duplicate_sale");
        assertThatThrownBy(() -> TracewatchConfig.load(null, List.of("nonsense")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("section.key=value");
        assertThatThrownBy(() -> TracewatchConfig.load(dir.resolve("absent.yaml"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not found");
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "detection: [unclosed\n");
        assertThatThrownBy(() -> TracewatchConfig.load(broken, List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not valid YAML at line ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("^"));
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, "detecton:\n  max_speed_kmh: 3\n");
        assertThatThrownBy(() -> TracewatchConfig.load(typo, List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("detecton");
    }

    @Test
    void rocksdbCompressionAndBlockSizeReachFlinksSettings() {
        Configuration flink = FlinkSettings.streaming(
                TracewatchConfig.load(null, List.of("job.rocksdb_compression=snappy", "job.rocksdb_block_size_bytes=4096")).job());
        assertThat(flink.toMap()).containsEntry("state.backend.rocksdb.compression.per.level", "SNAPPY_COMPRESSION")
                .containsEntry("state.backend.rocksdb.block.blocksize", "4096b");
        assertThat(FlinkSettings.streaming(TracewatchConfig.defaults().job()).toMap())
                .as("the defaults measured best for a region's state").containsEntry("state.backend.rocksdb.compression.per.level", "ZSTD_COMPRESSION")
                .containsEntry("state.backend.rocksdb.block.blocksize", "16384b");
        assertThatThrownBy(() -> TracewatchConfig.load(null, List.of("job.rocksdb_compression=gzip")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("job.rocksdb_compression").hasMessageContaining("zstd");
        assertThatThrownBy(() -> TracewatchConfig.load(null, List.of("job.rocksdb_block_size_bytes=100")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("job.rocksdb_block_size_bytes");
    }

    @Test
    void rocksdbFiltersAndMemorySplitReachFlinksSettings() {
        Configuration flink = FlinkSettings.streaming(TracewatchConfig.load(null, List.of("job.rocksdb_bloom_filter=true",
                "job.rocksdb_partitioned_index_filters=true", "job.rocksdb_write_buffer_ratio=0.25")).job());
        assertThat(flink.toMap()).containsEntry("state.backend.rocksdb.use-bloom-filter", "true")
                .containsEntry("state.backend.rocksdb.memory.partitioned-index-filters", "true")
                .containsEntry("state.backend.rocksdb.memory.write-buffer-ratio", "0.25");
        assertThatThrownBy(() -> TracewatchConfig.load(null, List.of("job.rocksdb_write_buffer_ratio=1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("job.rocksdb_write_buffer_ratio");
        assertThatThrownBy(() -> TracewatchConfig.load(null, List.of("job.rocksdb_bloom_filter=sometimes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("job.rocksdb_bloom_filter");
    }

    @Test
    void forstTakesTheRocksdbSettingsAndItsPrimaryDirectory() {
        Map<String, String> local = FlinkSettings.streaming(TracewatchConfig.load(null, List.of("job.state_backend=forst", "job.timer_service=heap",
                "job.rocksdb_bloom_filter=true")).job()).toMap();
        assertThat(local).containsEntry("state.backend.type", "forst").containsEntry("state.backend.forst.timer-service.factory", "HEAP")
                .containsEntry("state.backend.forst.use-bloom-filter", "true")
                .containsEntry("state.backend.forst.compression.per.level", "ZSTD_COMPRESSION")
                .doesNotContainKeys("state.backend.forst.primary-dir", "state.backend.forst.sync.enforce-local");
        Map<String, String> remote = FlinkSettings.streaming(TracewatchConfig.load(null, List.of("job.state_backend=forst",
                "job.forst_primary_dir=s3://bucket/tracewatch/forst")).job()).toMap();
        assertThat(remote).containsEntry("state.backend.forst.timer-service.factory", "ForStDB")
                .containsEntry("state.backend.forst.primary-dir", "s3://bucket/tracewatch/forst")
                .containsEntry("state.backend.forst.sync.enforce-local", "false");
        assertThatThrownBy(() -> TracewatchConfig.load(null, List.of("job.state_backend=leveldb")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("job.state_backend").hasMessageContaining("forst");
    }

    @Test
    void wrongValuesAreDescribedInTheFilesWordsNotJavaTypes() {
        assertThatThrownBy(() -> TracewatchConfig.load(null, List.of("job.parallelism=1.5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("job.parallelism").hasMessageContaining("a whole number");
        assertThatThrownBy(() -> TracewatchConfig.load(null, List.of("detection=3")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("a section").hasMessageNotContaining("DetectionConfig");
        assertThatThrownBy(() -> TracewatchConfig.load(null, List.of("kafka.scan_format=xml")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("one of json, avro").hasMessageNotContaining("RecordFormat");
    }
}
