package io.tracewatch.rules;

/** The anomalies of the contract, by the name alerts carry in their {@code rule} field. */
public enum RuleId {
    DUPLICATE_SALE,
    IMPOSSIBLE_ROUTE,
    POST_DISPENSE_RESALE,
    UNLICENSED_CHANNEL,
    /** lifecycle.md: a destroyed pack seen again. */
    DESTROYED_PACK,
    /** lifecycle.md: a pack sold or dispensed after its expiry date. */
    EXPIRED_PACK,
    /** lifecycle.md: a recalled pack sold, dispensed or taken in by a care provider. */
    RECALLED_PACK
}
