package io.tracewatch.io.codec;

import io.tracewatch.settings.Checks;
import java.io.Serializable;

/**
 * How records are taken in (contract v1.1, "Limits and hostile input").
 *
 * @param maxRecordBytes a record (a line without its line end, or a Kafka value) longer than this is
 *     dead-lettered unparsed
 * @param patientRefKeyFile file holding the secret key under which patient_ref is pseudonymised at
 *     ingest (else the environment variable TRACEWATCH_PATIENT_REF_KEY; neither: it is dropped)
 */
public record IngestSettings(int maxRecordBytes, String patientRefKeyFile) implements Serializable {
    /** The smallest record limit: a scan with every field filled fits. */
    static final int MIN_RECORD_BYTES = 1024;

    public void validate() {
        Checks.atLeast(maxRecordBytes, MIN_RECORD_BYTES, "ingest.max_record_bytes");
    }
}
