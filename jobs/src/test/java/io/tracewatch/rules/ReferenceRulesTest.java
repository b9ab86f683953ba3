package io.tracewatch.rules;

import static io.tracewatch.model.EventType.DESTROY;
import static io.tracewatch.model.EventType.DISPENSE;
import static io.tracewatch.model.EventType.RECEIVE;
import static io.tracewatch.model.EventType.SELL;
import static io.tracewatch.model.EventType.SETTLE;
import static io.tracewatch.model.EventType.SHIP;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.detect.ReferenceState;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.PartyRecord;
import io.tracewatch.model.PartyStatus;
import io.tracewatch.model.PartyType;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.SettingsRecord;
import io.tracewatch.model.Severity;
import io.tracewatch.testing.Scan;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The contract's reference-data.md, sentence by sentence: the fourth rule, registered locations, settings versions. */
class ReferenceRulesTest {
    private static final RuleSettings BASE = TracewatchConfig.defaults().detection().ruleSettings();
    private static final HistoryWalk WALK = HistoryWalk.standard();
    private static final double[] TIANJIN = {39.117, 117.21};
    private static final double[] GUANGZHOU = {23.129, 113.264};

    private static PartyRecord party(String id, String from, PartyType type, PartyStatus status, String validFrom, String validTo) {
        return PartyRecord.newBuilder().setPartyId(id).setVersionTime(Instant.parse(from)).setPartyType(type).setRegion("120101")
                .setStatus(status).setLicenceValidFrom(validFrom == null ? null : LocalDate.parse(validFrom))
                .setLicenceValidTo(validTo == null ? null : LocalDate.parse(validTo)).build();
    }

    private static PartyRecord active(String id) {
        PartyType type = id.startsWith("DS") ? PartyType.DISTRIBUTOR : id.startsWith("HOS") ? PartyType.HOSPITAL : PartyType.PHARMACY;
        return party(id, "2020-01-01T00:00:00Z", type, PartyStatus.ACTIVE, null, null);
    }

    /** A register and settings versions held in memory, answered the way the detector's broadcast state answers. */
    private static Reference reference(List<PartyRecord> register, List<SettingsRecord> settings) {
        List<SettingsRecord> sorted = settings.stream().sorted(Comparator.comparing(SettingsRecord::getVersionTime)).toList();
        return new Reference() {
            @Override
            public boolean hasRegister() {
                return register != null;
            }

            @Override
            public PartyRecord party(String partyId, Instant at) {
                return register == null ? null : register.stream()
                        .filter(p -> p.getPartyId().equals(partyId) && !p.getVersionTime().isAfter(at))
                        .max(Comparator.comparing(PartyRecord::getVersionTime)).orElse(null);
            }

            @Override
            public RuleSettings settings(Instant at) {
                return ReferenceState.effective(BASE, sorted, at);
            }

            @Override
            public List<io.tracewatch.model.RecallRecord> recalls(String productCode, Instant at) {
                return List.of();
            }
        };
    }

    private static Set<String> findings(Reference reference, Scan... scans) {
        List<ScanEvent> history = new ArrayList<>(Arrays.stream(scans).map(Scan::build).toList());
        history.sort(Events.EVENT_TIME_ORDER);
        return WALK.findings(history, reference).stream()
                .map(f -> f.rule().name() + "@" + f.trigger().getEventId())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void withoutARegisterNothingChanges() {
        assertThat(findings(reference(null, List.of()), Scan.of("e1", RECEIVE, "03-01 10:00", "PH-9").to("DS-9"))).isEmpty();
    }

    @Test
    void aPartyThatIsNotLicensedAtTheEventHandlingThePackIsAnUnlicensedChannel() {
        List<PartyRecord> register = List.of(active("DS-1"),
                party("PH-1", "2020-01-01T00:00:00Z", PartyType.PHARMACY, PartyStatus.ACTIVE, null, "2026-03-01"),
                party("PH-2", "2020-01-01T00:00:00Z", PartyType.PHARMACY, PartyStatus.ACTIVE, "2026-03-03", null),
                active("PH-3"), party("PH-3", "2026-03-02T00:00:00Z", PartyType.PHARMACY, PartyStatus.SUSPENDED, null, null),
                party("PH-4", "2020-01-01T00:00:00Z", PartyType.PHARMACY, PartyStatus.REVOKED, null, null));
        Reference reference = reference(register, List.of());
        // the licence runs to 2026-03-01 inclusive, China Standard Time
        assertThat(findings(reference, Scan.of("e1", SELL, "03-01 23:59", "PH-1"))).isEmpty();
        assertThat(findings(reference, Scan.of("e1", SELL, "03-02 00:00", "PH-1"))).containsExactly("UNLICENSED_CHANNEL@e1");
        assertThat(findings(reference, Scan.of("e1", SELL, "03-02 10:00", "PH-2"))).containsExactly("UNLICENSED_CHANNEL@e1");
        assertThat(findings(reference, Scan.of("e1", SELL, "03-03 00:00", "PH-2"))).isEmpty();
        assertThat(findings(reference, Scan.of("e1", DISPENSE, "03-01 10:00", "PH-3"))).isEmpty();
        assertThat(findings(reference, Scan.of("e1", DISPENSE, "03-02 10:00", "PH-3"))).containsExactly("UNLICENSED_CHANNEL@e1");
        assertThat(findings(reference, Scan.of("e1", SELL, "03-02 10:00", "PH-4"))).containsExactly("UNLICENSED_CHANNEL@e1");
        assertThat(findings(reference, Scan.of("e1", SELL, "03-02 10:00", "PH-5"))).as("not registered").containsExactly("UNLICENSED_CHANNEL@e1");
        assertThat(findings(reference, Scan.of("e1", SETTLE, "03-02 10:00", "PH-5"))).as("a SETTLE is not judged").isEmpty();
    }

    @Test
    void buyingFromOrSellingToAnUnlicensedPartyIsAnUnlicensedChannelOnlyForReceiveAndShip() {
        Reference reference = reference(List.of(active("PH-1"), active("DS-1")), List.of());
        assertThat(findings(reference, Scan.of("e1", RECEIVE, "03-02 10:00", "PH-1").to("DS-9"))).containsExactly("UNLICENSED_CHANNEL@e1");
        assertThat(findings(reference, Scan.of("e1", SHIP, "03-02 10:00", "DS-1").to("PH-9"))).containsExactly("UNLICENSED_CHANNEL@e1");
        assertThat(findings(reference, Scan.of("e1", RECEIVE, "03-02 10:00", "PH-1").to("DS-1"))).isEmpty();
    }

    @Test
    void insurersNeedNoLicence() {
        Reference reference = reference(List.of(party("INS-1", "2020-01-01T00:00:00Z", PartyType.INSURER, PartyStatus.REVOKED, null, null)), List.of());
        assertThat(findings(reference, Scan.of("e1", SELL, "03-02 10:00", "INS-1"))).isEmpty();
        assertThat(findings(reference, Scan.of("e1", SELL, "03-02 10:00", "INS-2"))).as("an INSURER scan without a version").isEmpty();
    }

    @Test
    void aScanWithoutLocationTakesItsPartysRegisteredSiteForTheTravelCheck() {
        PartyRecord far = PartyRecord.newBuilder(active("PH-9")).setLat(GUANGZHOU[0]).setLon(GUANGZHOU[1]).build();
        Reference reference = reference(List.of(active("DS-1"), far), List.of());
        assertThat(findings(reference,
                Scan.of("e1", SHIP, "03-02 09:00", "DS-1").to("PH-9").at(TIANJIN[0], TIANJIN[1]),
                Scan.of("e2", RECEIVE, "03-02 12:00", "PH-9").to("DS-1"))).containsExactly("IMPOSSIBLE_ROUTE@e2");
        assertThat(findings(reference,
                Scan.of("e1", SHIP, "03-02 09:00", "DS-1").to("PH-9").at(TIANJIN[0], TIANJIN[1]),
                Scan.of("e2", RECEIVE, "03-02 12:00", "PH-9").to("DS-1").at(TIANJIN[0], TIANJIN[1]))).as("its own location wins").isEmpty();
    }

    @Test
    void settingsVersionsApplyFromTheirTimeFieldsInheritedAndADisabledRuleStillUsesItsFiring() {
        SettingsRecord slow = SettingsRecord.newBuilder().setSettingsId("s1").setVersionTime(Instant.parse("2026-03-02T00:00:00Z"))
                .setMaxSpeedKmh(10.0).setSeverity(Map.of("IMPOSSIBLE_ROUTE", Severity.CRITICAL)).setActor("a").build();
        SettingsRecord off = SettingsRecord.newBuilder().setSettingsId("s2").setVersionTime(Instant.parse("2026-03-05T00:00:00Z"))
                .setRulesEnabled(List.of("DUPLICATE_SALE", "IMPOSSIBLE_ROUTE", "UNLICENSED_CHANNEL")).setActor("a").build();
        Reference reference = reference(null, List.of(slow, off));
        RuleSettings later = reference.settings(Instant.parse("2026-03-06T00:00:00Z"));
        assertThat(later.version()).isEqualTo("s2");
        assertThat(later.maxSpeedKmh()).as("inherited from s1").isEqualTo(10.0);
        assertThat(later.severityOf(RuleId.IMPOSSIBLE_ROUTE)).isEqualTo(Severity.CRITICAL);
        assertThat(later.severityOf(RuleId.DUPLICATE_SALE)).isEqualTo(BASE.severityOf(RuleId.DUPLICATE_SALE));
        assertThat(reference.settings(Instant.parse("2026-03-01T00:00:00Z")).version()).isNull();
        assertThat(later.ruleVersion(new ImpossibleRouteRule())).isEqualTo("route-1;max_speed_kmh=10;location_slack_km=50@s2");

        // 100 km in 3 h: fine at 120 km/h, too fast at 10 km/h
        double[] near = {TIANJIN[0] + 0.9, TIANJIN[1]};
        assertThat(findings(reference(null, List.of()),
                Scan.of("e1", SHIP, "03-03 09:00", "DS-1").to("PH-1").at(TIANJIN[0], TIANJIN[1]),
                Scan.of("e2", RECEIVE, "03-03 12:00", "PH-1").to("DS-1").at(near[0], near[1]))).isEmpty();
        assertThat(findings(reference,
                Scan.of("e1", SHIP, "03-03 09:00", "DS-1").to("PH-1").at(TIANJIN[0], TIANJIN[1]),
                Scan.of("e2", RECEIVE, "03-03 12:00", "PH-1").to("DS-1").at(near[0], near[1]))).containsExactly("IMPOSSIBLE_ROUTE@e2");

        // resale disabled from 03-05 to 03-08: the re-entry on 03-07 fires nothing but uses the firing,
        // so the next re-entry, with the rule enabled again, is silent too
        SettingsRecord on = SettingsRecord.newBuilder().setSettingsId("s3").setVersionTime(Instant.parse("2026-03-08T00:00:00Z"))
                .setRulesEnabled(Arrays.stream(RuleId.values()).map(Enum::name).toList()).setActor("a").build();
        assertThat(findings(reference(null, List.of(slow, off, on)),
                Scan.of("e1", DISPENSE, "03-06 09:00", "HOS-1").txn("T"),
                Scan.of("e2", RECEIVE, "03-07 09:00", "PH-1").to("DS-1"),
                Scan.of("e3", SHIP, "03-08 09:00", "PH-1").to("DS-2"))).containsExactly("IMPOSSIBLE_ROUTE@e2");
        assertThat(findings(reference(null, List.of(slow, on)),
                Scan.of("e1", DISPENSE, "03-06 09:00", "HOS-1").txn("T"),
                Scan.of("e2", RECEIVE, "03-07 09:00", "PH-1").to("DS-1"),
                Scan.of("e3", SHIP, "03-08 09:00", "PH-1").to("DS-2"))).as("enabled throughout")
                .containsExactly("IMPOSSIBLE_ROUTE@e2", "POST_DISPENSE_RESALE@e2");
    }

    @Test
    void settingsDisableTheLifecycleRulesLikeAnyOther() {
        Scan[] soldAfterDestroyedAndExpired = {
                Scan.of("e1", RECEIVE, "03-01 09:00", "PH-1").to("DS-1").expiry("2026-03-02"),
                Scan.of("e2", DESTROY, "03-03 09:00", "PH-1"),
                Scan.of("e3", SELL, "03-04 09:00", "PH-1")};
        assertThat(findings(reference(null, List.of()), soldAfterDestroyedAndExpired))
                .contains("DESTROYED_PACK@e3", "EXPIRED_PACK@e3");
        SettingsRecord off = SettingsRecord.newBuilder().setSettingsId("s1").setVersionTime(Instant.parse("2026-03-01T00:00:00Z"))
                .setRulesEnabled(List.of("DUPLICATE_SALE", "IMPOSSIBLE_ROUTE", "POST_DISPENSE_RESALE", "RECALLED_PACK")).setActor("a").build();
        assertThat(findings(reference(null, List.of(off)), soldAfterDestroyedAndExpired))
                .doesNotContain("DESTROYED_PACK@e3", "EXPIRED_PACK@e3");
    }
}
