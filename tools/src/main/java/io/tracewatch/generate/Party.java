package io.tracewatch.generate;

import io.tracewatch.model.PartyType;

/** A scanning site of the generated world. */
record Party(String id, PartyType type, String region, double lat, double lon) {}
