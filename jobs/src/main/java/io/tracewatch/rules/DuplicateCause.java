package io.tracewatch.rules;

import java.util.HashSet;
import java.util.Set;

/**
 * Why a code was consumed more than its pack holds (lifecycle.md, "The cause of a duplicate sale"):
 * each cause goes to a different desk. Judged at the trigger from the walk up to and including it,
 * first match wins.
 */
public enum DuplicateCause {
    /** 赋码错误: one code printed on several packs (two COMMISSIONs, or two product codes); for the manufacturer. */
    CODE_COLLISION,
    /** 回流: the pack was bought back after dispensing; for the resale investigation. */
    RESALE,
    /** 重复刷码 (空刷, 串换): one institution consumed the pack more than it holds; for the insurance audit. */
    SAME_PARTY,
    /** 假药 risk: consumed at parties the chain does not connect, a copied code; for the police. */
    CLONED_CODE;

    /** The cause, from the walk's state once the trigger is applied (its resale judgement included). */
    static DuplicateCause of(PackState after) {
        if (after.commissions() >= 2 || after.productCodes().size() >= 2) {
            return CODE_COLLISION;
        }
        if (after.resaleFlagged()) {
            return RESALE;
        }
        Set<String> parties = new HashSet<>();
        for (Consumption consumption : after.consumptions()) {
            if (!consumption.reversed()) {
                parties.add(consumption.party());
            }
        }
        return parties.size() <= 1 ? SAME_PARTY : CLONED_CODE;
    }
}
