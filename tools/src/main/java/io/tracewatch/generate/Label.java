package io.tracewatch.generate;

/**
 * A ground-truth alert the generated traffic must raise: rule and trigger event of a code, and for
 * a DUPLICATE_SALE its cause (lifecycle.md); null otherwise.
 */
public record Label(String code, String rule, String triggerEventId, String cause) {
    public Label(String code, String rule, String triggerEventId) {
        this(code, rule, triggerEventId, null);
    }
}
