package io.tracewatch.detect;

import io.tracewatch.model.PartyRecord;
import io.tracewatch.model.RecallRecord;
import io.tracewatch.model.Severity;
import io.tracewatch.model.SettingsRecord;
import io.tracewatch.model.internal.ReferenceRecord;
import io.tracewatch.model.internal.ReferenceVersions;
import io.tracewatch.rules.Reference;
import io.tracewatch.rules.RuleId;
import io.tracewatch.rules.RuleSettings;
import io.tracewatch.savepoint.SavepointNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * The detector's broadcast state: the party register and the settings versions, each party's
 * versions in version_time order, as every subtask holds them (on heap). Versions with the same
 * version_time: the one read later replaces the other. With reference data, nothing is judged until
 * everything known at start has been read, so that the live job judges as a replay with the same
 * data does.
 */
public final class ReferenceState {
    /** Party versions by party_id, and the settings versions under {@link #SETTINGS}. */
    public static final MapStateDescriptor<String, ReferenceVersions> VERSIONS =
            new MapStateDescriptor<>(SavepointNames.REFERENCE_VERSIONS, Types.STRING, new AvroTypeInfo<>(ReferenceVersions.class));
    /** Whether everything known at start has been read. */
    public static final MapStateDescriptor<String, Boolean> READY = new MapStateDescriptor<>(SavepointNames.REFERENCE_READY, Types.STRING, Types.BOOLEAN);

    /** The key of the settings versions: no party_id is empty. */
    private static final String SETTINGS = "";
    private static final String READY_KEY = "ready";

    private final BroadcastState<String, ReferenceVersions> versions;
    private final BroadcastState<String, Boolean> ready;
    private final RecallVersions recalls;
    private final ReferenceMode mode;
    private final DetectionConfig config;
    /** The scans' latest watermark while the reference data is not in, or null; not checkpointed, as the sources send theirs again. */
    private Watermark heldWatermark;

    private ReferenceState(BroadcastState<String, ReferenceVersions> versions, BroadcastState<String, Boolean> ready, RecallVersions recalls,
            ReferenceMode mode, DetectionConfig config) {
        this.versions = versions;
        this.ready = ready;
        this.recalls = recalls;
        this.mode = mode;
        this.config = config;
    }

    /** The operator's broadcast state, restored or new. */
    static ReferenceState open(OperatorStateStore store, ReferenceMode mode, DetectionConfig config) throws Exception {
        return new ReferenceState(store.getBroadcastState(VERSIONS), store.getBroadcastState(READY),
                new RecallVersions(store.getBroadcastState(RecallVersions.RECALLS)), mode, config);
    }

    /**
     * The scans' watermark as the detector may pass it on, or null: it waits until the reference
     * data is in. The reference input is idle ({@code WithoutEventTime}), so the scans alone move the
     * watermark, and a bounded run's scans can end, their end of time passing every code, before the
     * reference data has arrived: the codes would then wait on processing-time retries, which no
     * longer fire once the inputs have ended.
     */
    Watermark admit(Watermark scans) throws Exception {
        if (ready()) {
            return scans;
        }
        heldWatermark = scans;
        return null;
    }

    /** Takes one reference record in; returns the scans' watermark it releases, if it completes the reference data, else null. */
    Watermark apply(ReferenceRecord record) throws Exception {
        take(record);
        Watermark released = ready() ? heldWatermark : null;
        if (released != null) {
            heldWatermark = null;
        }
        return released;
    }

    private void take(ReferenceRecord record) throws Exception {
        if (record.getRecall() != null) {
            recalls.apply(record.getRecall());
        }
        if (record.getReady()) {
            ready.put(READY_KEY, true);
        }
        if (record.getParty() != null) {
            PartyRecord party = record.getParty();
            ReferenceVersions held = versions.get(party.getPartyId());
            List<PartyRecord> list = held == null ? new ArrayList<>() : new ArrayList<>(held.getParties());
            list.removeIf(v -> v.getVersionTime().equals(party.getVersionTime()));
            list.add(party);
            list.sort((a, b) -> a.getVersionTime().compareTo(b.getVersionTime()));
            versions.put(party.getPartyId(), new ReferenceVersions(list, List.of(), List.of()));
        }
        if (record.getSettings() != null) {
            SettingsRecord settings = record.getSettings();
            ReferenceVersions held = versions.get(SETTINGS);
            List<SettingsRecord> list = held == null ? new ArrayList<>() : new ArrayList<>(held.getSettings());
            list.removeIf(v -> v.getVersionTime().equals(settings.getVersionTime()));
            list.add(settings);
            list.sort((a, b) -> a.getVersionTime().compareTo(b.getVersionTime()));
            versions.put(SETTINGS, new ReferenceVersions(List.of(), list, List.of()));
        }
    }

    /** Whether scans may be judged: without reference data at once, with it once everything known at start is in. */
    boolean ready() throws Exception {
        return !mode.awaited() || Boolean.TRUE.equals(ready.get(READY_KEY));
    }

    /** A view of the broadcast state for the rules; the settings fall back on the configuration. */
    Reference view() throws Exception {
        boolean register = mode.register();
        ReferenceVersions settings = versions.get(SETTINGS);
        List<SettingsRecord> settingsVersions = settings == null ? List.of() : settings.getSettings();
        RuleSettings base = config.ruleSettings();
        return new Reference() {
            @Override
            public boolean hasRegister() {
                return register;
            }

            @Override
            public PartyRecord party(String partyId, Instant at) {
                if (!register) {
                    return null;
                }
                try {
                    ReferenceVersions held = versions.get(partyId);
                    return held == null ? null : Reference.applicable(held.getParties(), PartyRecord::getVersionTime, at);
                } catch (Exception e) {
                    throw new IllegalStateException("broadcast state unreadable", e);
                }
            }

            @Override
            public RuleSettings settings(Instant at) {
                return effective(base, settingsVersions, at);
            }

            @Override
            public List<RecallRecord> recalls(String productCode, Instant at) {
                try {
                    return recalls.of(productCode, at);
                } catch (Exception e) {
                    throw new IllegalStateException("broadcast state unreadable", e);
                }
            }
        };
    }

    /**
     * The settings that apply at {@code at}: every version up to it in order, a field left out
     * inherited from the version before ({@code severity} rule by rule), the first from the
     * configuration; named by the last version applied.
     */
    public static RuleSettings effective(RuleSettings base, List<SettingsRecord> versions, Instant at) {
        RuleSettings current = base;
        for (SettingsRecord version : versions) {
            if (version.getVersionTime().isAfter(at)) {
                break;
            }
            Map<RuleId, Severity> severity = new EnumMap<>(current.severity());
            if (version.getSeverity() != null) {
                version.getSeverity().forEach((rule, level) -> severity.put(RuleId.valueOf(rule), level));
            }
            Set<RuleId> enabled = current.enabled().isEmpty() ? EnumSet.noneOf(RuleId.class) : EnumSet.copyOf(current.enabled());
            if (version.getRulesEnabled() != null) {
                enabled = EnumSet.noneOf(RuleId.class);
                for (String rule : version.getRulesEnabled()) {
                    enabled.add(RuleId.valueOf(rule));
                }
            }
            current = new RuleSettings(
                    version.getSettingsId(),
                    version.getMaxSpeedKmh() != null ? version.getMaxSpeedKmh() : current.maxSpeedKmh(),
                    version.getLocationSlackKm() != null ? version.getLocationSlackKm() : current.locationSlackKm(),
                    severity,
                    enabled);
        }
        return current;
    }
}
