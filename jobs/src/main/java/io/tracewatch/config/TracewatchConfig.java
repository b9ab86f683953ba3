package io.tracewatch.config;

import java.io.Serializable;

/** All of tracewatch's settings, loaded by {@link ConfigLoader} from {@code config/*.yaml}. */
public record TracewatchConfig(DetectionConfig detection) implements Serializable {

    void validate() {
        Checks.present(detection, "detection");
        detection.validate();
    }
}
