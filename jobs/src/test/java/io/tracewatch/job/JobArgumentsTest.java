package io.tracewatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracewatch.settings.ConfigException;
import org.junit.jupiter.api.Test;

/** The job jar's program arguments: the options of {@code run}, and a clear refusal of anything else. */
class JobArgumentsTest {
    @Test
    void settingsApplyInBothSpellings() {
        TracewatchConfig config = JobArguments.load(new String[] {
                "--set", "detection.max_speed_kmh=90", "--set=kafka.scans_topic=site.scans"});
        assertThat(config.detection().maxSpeedKmh()).isEqualTo(90);
        assertThat(config.kafka().scansTopic()).isEqualTo("site.scans");
    }

    @Test
    void anythingElseIsRefusedWithTheUsage() {
        assertThatThrownBy(() -> JobArguments.load(new String[] {"run", "--set", "a=b"}))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unexpected argument 'run'")
                .hasMessageContaining("[--config FILE] [--set KEY=VALUE]");
        assertThatThrownBy(() -> JobArguments.load(new String[] {"--set"}))
                .isInstanceOf(ConfigException.class).hasMessage("--set needs a value");
        assertThatThrownBy(() -> JobArguments.load(new String[] {"--config", "a.yaml", "--config", "b.yaml"}))
                .isInstanceOf(ConfigException.class).hasMessage("--config given more than once");
        assertThatThrownBy(() -> JobArguments.load(new String[] {"--set", "detection.max_speed_kmh=fast"}))
                .isInstanceOf(ConfigException.class).hasMessageContaining("max_speed_kmh");
    }
}
