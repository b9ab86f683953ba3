package io.tracewatch.job;

import io.tracewatch.cases.CasesSettings;
import io.tracewatch.config.ConfigLoader;
import io.tracewatch.config.FeedSettings;
import io.tracewatch.detect.DetectionConfig;
import io.tracewatch.io.codec.IngestSettings;
import io.tracewatch.io.kafka.KafkaSettings;
import io.tracewatch.settings.Checks;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * All of tracewatch's settings, a section each, loaded by {@link ConfigLoader} from
 * {@code config/*.yaml}. Each section's record lives with what it configures; the feed's, whose
 * code is in the tools, in {@code config}, so that the job refuses a file with a mistake in it
 * wherever the mistake is.
 */
public record TracewatchConfig(
        IngestSettings ingest, DetectionConfig detection, CasesSettings cases, ReferenceSettings reference, KafkaSettings kafka,
        JobSettings job, FeedSettings feed)
        implements Serializable {

    /** The defaults: the project's {@code config/default.yaml}. */
    public static TracewatchConfig defaults() {
        return load(null, List.of());
    }

    /**
     * @param file a YAML file merged over the defaults, or null
     * @param overrides {@code section.key=value} settings applied last
     */
    public static TracewatchConfig load(Path file, List<String> overrides) {
        TracewatchConfig config = ConfigLoader.load(TracewatchConfig.class, file, overrides);
        config.validate();
        return config;
    }

    private void validate() {
        Checks.present(ingest, "ingest");
        Checks.present(detection, "detection");
        Checks.present(cases, "cases");
        Checks.present(reference, "reference");
        Checks.present(kafka, "kafka");
        Checks.present(job, "job");
        Checks.present(feed, "feed");
        ingest.validate();
        detection.validate();
        cases.validate();
        kafka.validate();
        job.validate();
        feed.validate();
    }
}
