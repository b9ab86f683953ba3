package io.tracewatch.rules;

import io.tracewatch.model.EventType;
import io.tracewatch.model.PartyRecord;
import io.tracewatch.model.ScanEvent;
import java.util.List;

/**
 * UNLICENSED_CHANNEL (非法渠道购销): a party that is not licensed handles the pack, or a pack is
 * bought from or sold to one (contract reference-data.md). Judged only with a register.
 */
public final class UnlicensedChannelRule implements Rule {
    static final String VERSION = "channel-1";

    @Override
    public RuleId id() {
        return RuleId.UNLICENSED_CHANNEL;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public Finding judge(PackState before, ScanEvent event, Judging context) {
        Reference reference = context.reference();
        if (!reference.hasRegister()) {
            return null;
        }
        EventType type = event.getEventType();
        if (type != EventType.COMMISSION && type != EventType.SHIP && type != EventType.RECEIVE
                && type != EventType.SELL && type != EventType.DISPENSE) {
            return null;
        }
        String party = event.getPartyId();
        PartyRecord version = reference.party(party, event.getEventTime());
        Licences.Why why = Licences.problem(version, event.getPartyType(), event.getEventTime());
        if (why != null) {
            return new Finding.UnlicensedChannel(event, List.of(), party, false, why, version);
        }
        String counterparty = event.getCounterpartyId();
        if ((type == EventType.RECEIVE || type == EventType.SHIP) && counterparty != null) {
            PartyRecord other = reference.party(counterparty, event.getEventTime());
            why = Licences.problem(other, null, event.getEventTime());
            if (why != null) {
                return new Finding.UnlicensedChannel(event, List.of(), counterparty, true, why, other);
            }
        }
        return null;
    }
}
