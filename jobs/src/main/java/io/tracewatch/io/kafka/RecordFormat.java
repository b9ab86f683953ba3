package io.tracewatch.io.kafka;

/** How records are written in Kafka values. */
public enum RecordFormat {
    /** One JSON object per record, as in the contract's JSON Lines form. */
    JSON,
    /** Avro single-object encoding of the schemas/ records (schema fingerprint, then binary). */
    AVRO
}
