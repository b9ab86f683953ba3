package io.tracewatch.rules;

import io.tracewatch.model.PartyRecord;
import io.tracewatch.model.RecallRecord;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * What the rules know beyond a code's events: the party register, the rule settings and the recall
 * list, each versioned in time (contract reference-data.md, lifecycle.md). Without a register, the register's rule and
 * enrichments stay off and everything in scan-events.md holds unchanged.
 */
public interface Reference {

    /** Whether a register is configured: only then does UNLICENSED_CHANNEL judge, and regions and locations come from it. */
    boolean hasRegister();

    /** The version of {@code partyId} with the largest version_time at or before {@code at}, or null. */
    PartyRecord party(String partyId, Instant at);

    /** The settings that apply to an event at {@code at}. */
    RuleSettings settings(Instant at);

    /** The applicable version (the largest version_time at or before {@code at}) of every recall of the product; none without a recall list. */
    List<RecallRecord> recalls(String productCode, Instant at);

    /** The version with the largest version time at or before {@code at}, or null; {@code versions} are in version-time order. */
    static <V> V applicable(List<V> versions, Function<? super V, Instant> versionTime, Instant at) {
        V found = null;
        for (V version : versions) {
            if (versionTime.apply(version).isAfter(at)) {
                break;
            }
            found = version;
        }
        return found;
    }

    /** No register, and the configuration's settings for every event. */
    static Reference none(RuleSettings settings) {
        return new Reference() {
            @Override
            public boolean hasRegister() {
                return false;
            }

            @Override
            public PartyRecord party(String partyId, Instant at) {
                return null;
            }

            @Override
            public RuleSettings settings(Instant at) {
                return settings;
            }

            @Override
            public List<RecallRecord> recalls(String productCode, Instant at) {
                return List.of();
            }
        };
    }
}
