package io.tracewatch.config;

import io.tracewatch.cases.CasesSettings;
import io.tracewatch.detect.DetectionConfig;
import io.tracewatch.io.codec.IngestSettings;
import io.tracewatch.io.kafka.KafkaSettings;
import io.tracewatch.settings.Checks;
import java.io.Serializable;

/** All of tracewatch's settings, loaded by {@link ConfigLoader} from {@code config/*.yaml}. */
public record TracewatchConfig(
        IngestSettings ingest, DetectionConfig detection, CasesSettings cases, ReferenceSettings reference, KafkaSettings kafka,
        JobSettings job, FeedSettings feed)
        implements Serializable {

    void validate() {
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
