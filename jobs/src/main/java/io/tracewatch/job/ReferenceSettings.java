package io.tracewatch.job;

import java.io.Serializable;

/**
 * Reference data of the live job (contract reference-data.md).
 *
 * @param enabled whether the job reads the parties and settings topics (to their end before it
 *     judges any scan, then as versions arrive)
 * @param register whether the parties topic is a party register: the fourth rule, trusted regions
 *     and registered locations apply only with one
 */
public record ReferenceSettings(boolean enabled, boolean register) implements Serializable {}
