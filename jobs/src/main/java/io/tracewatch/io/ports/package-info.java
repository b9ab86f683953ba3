/**
 * What the pipeline reads and writes: the source and output interfaces that files, Kafka and tests
 * implement, and the dead-letter output every refused record goes to.
 */
package io.tracewatch.io.ports;
