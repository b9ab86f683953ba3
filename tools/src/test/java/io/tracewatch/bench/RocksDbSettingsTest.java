package io.tracewatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RocksDbSettingsTest {
    @Test
    void onlyTheForStSettingsRunOnAnotherStateBackend() {
        assertThat(RocksDbSettings.keys()).filteredOn(Benchmarks::otherStateBackend).containsExactly("forst", "forst-remote");
    }
}
