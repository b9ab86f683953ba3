package io.tracewatch.rules;

/** The anomalies of the contract, by the name alerts carry in their {@code rule} field. */
public enum RuleId {
    DUPLICATE_SALE,
    IMPOSSIBLE_ROUTE,
    POST_DISPENSE_RESALE,
    UNLICENSED_CHANNEL
}
