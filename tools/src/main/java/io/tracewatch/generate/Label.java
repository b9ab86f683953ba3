package io.tracewatch.generate;

/** A ground-truth alert the generated traffic must raise: rule and trigger event of a code. */
public record Label(String code, String rule, String triggerEventId) {}
