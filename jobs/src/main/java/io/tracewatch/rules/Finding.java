package io.tracewatch.rules;

import io.tracewatch.model.ScanEvent;
import java.util.List;

/**
 * What a rule found on one trigger event. Each kind keeps the facts its explanation needs, so the
 * alert layer can write a sentence without re-running the rule.
 */
public sealed interface Finding
        permits Finding.DuplicateSale, Finding.ImpossibleRoute, Finding.PostDispenseResale, Finding.UnlicensedChannel,
        Finding.DestroyedPack, Finding.ExpiredPack, Finding.RecalledPack {

    RuleId rule();

    ScanEvent trigger();

    /** The earlier events that make the trigger anomalous, in event-time order (trigger excluded). */
    List<ScanEvent> evidence();

    /** Identifies the finding within a code: one alert per rule and trigger. */
    default String key() {
        return rule().name() + '|' + trigger().getEventId();
    }

    /**
     * The code's unreversed consumptions exceed what the pack holds.
     *
     * @param consumedUnits units consumed in total, whole-pack consumptions counted as the pack size;
     *     null when the pack size is unknown
     * @param packSize units in the pack, or null when unknown (then any second consumption exceeds)
     * @param consumptions number of unreversed consumptions, the trigger's included
     * @param parties distinct parties among them, in order of first consumption
     * @param cause why the code was consumed twice, judged once the trigger is applied; null until then
     */
    record DuplicateSale(
            ScanEvent trigger,
            List<ScanEvent> evidence,
            Integer consumedUnits,
            Integer packSize,
            int consumptions,
            List<String> parties,
            DuplicateCause cause)
            implements Finding {
        @Override
        public RuleId rule() {
            return RuleId.DUPLICATE_SALE;
        }

        DuplicateSale withCause(DuplicateCause cause) {
            return new DuplicateSale(trigger, evidence, consumedUnits, packSize, consumptions, parties, cause);
        }
    }

    /**
     * The pack showed up where the chain of custody or travel speed could not have brought it; one
     * or both parts hold.
     *
     * @param holder the party that held the pack by the chain of custody, when custody is broken
     * @param custodyEvent the scan that made {@code holder} the holder, when custody is broken
     * @param previousLocated the previous scan with a location, when the travel part holds
     * @param distanceKm great-circle distance from {@code previousLocated}, when the travel part holds
     * @param reachableKm farthest plausible distance in the time between the two scans
     */
    record ImpossibleRoute(
            ScanEvent trigger,
            List<ScanEvent> evidence,
            String holder,
            ScanEvent custodyEvent,
            ScanEvent previousLocated,
            double distanceKm,
            double reachableKm)
            implements Finding {
        @Override
        public RuleId rule() {
            return RuleId.IMPOSSIBLE_ROUTE;
        }

        public boolean custodyBroken() {
            return holder != null;
        }

        public boolean tooFast() {
            return previousLocated != null;
        }
    }

    /**
     * A pack dispensed or settled by {@code dispensingParty} re-entered the supply chain.
     *
     * @param evidence the events of the unreversed dispensed or settled consumptions
     * @param consumptions unreversed consumptions once the trigger is applied
     */
    record PostDispenseResale(ScanEvent trigger, List<ScanEvent> evidence, String dispensingParty, int consumptions)
            implements Finding {
        @Override
        public RuleId rule() {
            return RuleId.POST_DISPENSE_RESALE;
        }
    }

    /**
     * A party that is not licensed at the event handled the pack, or sold it or bought it.
     *
     * @param party the unlicensed party
     * @param counterparty whether it is the event's counterparty (a channel bought from or sold to)
     * @param why why it is not licensed
     * @param version its applicable register version, or null when it has none
     */
    /**
     * A destroyed pack seen again: the first event after its first DESTROY that is not a DESTROY.
     *
     * @param destroy the code's first DESTROY
     */
    record DestroyedPack(ScanEvent trigger, List<ScanEvent> evidence, ScanEvent destroy) implements Finding {
        @Override
        public RuleId rule() {
            return RuleId.DESTROYED_PACK;
        }
    }

    /**
     * A pack sold or dispensed after its expiry date (the trigger's date in China Standard Time).
     *
     * @param expiryCarrier the event that carried the expiry date (possibly the trigger)
     * @param expiryDate the pack's expiry date
     */
    record ExpiredPack(ScanEvent trigger, List<ScanEvent> evidence, ScanEvent expiryCarrier, java.time.LocalDate expiryDate)
            implements Finding {
        @Override
        public RuleId rule() {
            return RuleId.EXPIRED_PACK;
        }
    }

    /**
     * A pack under recall sold, dispensed, or received by a pharmacy, hospital or clinic.
     *
     * @param recall the applicable version of the recall the alert names (the smallest recall_id of those that apply)
     * @param product the pack's product at the trigger
     * @param batch the pack's batch at the trigger, or null
     */
    record RecalledPack(ScanEvent trigger, List<ScanEvent> evidence, io.tracewatch.model.RecallRecord recall, String product, String batch)
            implements Finding {
        @Override
        public RuleId rule() {
            return RuleId.RECALLED_PACK;
        }
    }

    record UnlicensedChannel(ScanEvent trigger, List<ScanEvent> evidence, String party, boolean counterparty,
            Licences.Why why, io.tracewatch.model.PartyRecord version) implements Finding {
        @Override
        public RuleId rule() {
            return RuleId.UNLICENSED_CHANNEL;
        }
    }
}
