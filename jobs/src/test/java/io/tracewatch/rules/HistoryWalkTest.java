package io.tracewatch.rules;

import static io.tracewatch.model.EventType.COMMISSION;
import static io.tracewatch.model.EventType.DESTROY;
import static io.tracewatch.model.EventType.DISPENSE;
import static io.tracewatch.model.EventType.RECEIVE;
import static io.tracewatch.model.EventType.RETURN;
import static io.tracewatch.model.EventType.SELL;
import static io.tracewatch.model.EventType.SETTLE;
import static io.tracewatch.model.EventType.SHIP;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.rules.Reference;
import io.tracewatch.testing.Scan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules of the contract's "Anomalies" and "Precise semantics" sections, sentence by sentence,
 * on histories walked in event-time order with no Flink involved.
 */
class HistoryWalkTest {
    private static final HistoryWalk WALK = HistoryWalk.standard();
    private static final Reference DEFAULTS = Reference.none(io.tracewatch.job.TracewatchConfig.defaults().detection().ruleSettings());
    // Tianjin sites a few km apart, Guangzhou about 1,900 km away
    private static final double[] TIANJIN_A = {39.117, 117.21};
    private static final double[] TIANJIN_B = {39.16, 117.198};
    private static final double[] GUANGZHOU = {23.129, 113.264};

    private static Set<String> findings(Scan... scans) {
        List<ScanEvent> history = new ArrayList<>(Arrays.stream(scans).map(Scan::build).toList());
        history.sort(Events.EVENT_TIME_ORDER);
        return WALK.findings(history, DEFAULTS).stream()
                .map(f -> f.rule().name() + "@" + f.trigger().getEventId())
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    @Nested
    class DuplicateSale {
        @Test
        void splitSalesWithinThePackSizeAreFine() {
            assertThat(findings(
                    Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24).qty(10),
                    Scan.of("e2", SELL, "03-02 10:00", "PH-1").qty(8),
                    Scan.of("e3", SELL, "03-03 10:00", "PH-1").qty(6))).isEmpty();
        }

        @Test
        void everySplitSaleBeyondThePackSizeTriggers() {
            assertThat(findings(
                    Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24).qty(10),
                    Scan.of("e2", SELL, "03-02 10:00", "PH-1").qty(10),
                    Scan.of("e3", SELL, "03-03 10:00", "PH-1").qty(6),
                    Scan.of("e4", SELL, "03-04 10:00", "PH-1").qty(2)))
                    .containsExactly("DUPLICATE_SALE@e3", "DUPLICATE_SALE@e4");
        }

        @Test
        void wholePackConsumptionsCountAsThePackSize() {
            assertThat(findings(
                    Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24).txn("T1"),
                    Scan.of("e2", SELL, "03-02 10:00", "PH-1").qty(1).txn("T2")))
                    .containsExactly("DUPLICATE_SALE@e2");
        }

        @Test
        void withoutPackSizeAnySecondConsumptionExceeds() {
            assertThat(findings(
                    Scan.of("e1", DISPENSE, "03-01 10:00", "HOS-1").txn("RX1"),
                    Scan.of("e2", SETTLE, "03-01 10:01", "HOS-1").txn("RX1"),
                    Scan.of("e3", DISPENSE, "03-05 10:00", "HOS-1").txn("RX2")))
                    .containsExactly("DUPLICATE_SALE@e3");
        }

        @Test
        void saleAndItsSettlementAreOneConsumption() {
            assertThat(findings(
                    Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24).qty(12).txn("T1"),
                    Scan.of("e2", SETTLE, "03-01 10:01", "PH-1").qty(12).txn("T1"),
                    Scan.of("e3", SELL, "03-02 10:00", "PH-1").qty(12).txn("T2"),
                    Scan.of("e4", SETTLE, "03-02 10:01", "PH-1").qty(12).txn("T2"))).isEmpty();
        }

        @Test
        void settleWithoutTransactionJoinsTheLatestConsumptionOfItsParty() {
            assertThat(findings(
                    Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24).qty(10),
                    Scan.of("e2", SETTLE, "03-01 10:01", "PH-1").qty(10),
                    Scan.of("e3", SELL, "03-02 10:00", "PH-1").qty(14))).isEmpty();
        }

        @Test
        void settleWithoutQuantityAddsNothingToItsTransaction() {
            assertThat(findings(
                    Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24).qty(8).txn("T1"),
                    Scan.of("e2", SETTLE, "03-01 10:01", "PH-1").txn("T1"),
                    Scan.of("e3", SELL, "03-02 10:00", "PH-1").qty(16).txn("T2"))).isEmpty();
        }

        @Test
        void aSettlementThatRaisesTheQuantityTriggers() {
            assertThat(findings(
                    Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24).qty(20).txn("T1"),
                    Scan.of("e2", SELL, "03-02 10:00", "PH-1").qty(4).txn("T2"),
                    Scan.of("e3", SETTLE, "03-02 10:01", "PH-1").qty(6).txn("T2")))
                    .containsExactly("DUPLICATE_SALE@e3");
        }

        @Test
        void twoPartiesConsumingTriggersEvenWithinThePackSize() {
            assertThat(findings(
                    Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24).qty(2),
                    Scan.of("e2", SELL, "03-02 10:00", "PH-2").qty(2)))
                    .contains("DUPLICATE_SALE@e2");
        }

        @Test
        void aRefundReversesTheConsumption() {
            assertThat(findings(
                    Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24).txn("T1"),
                    Scan.of("e2", RETURN, "03-01 16:00", "PH-1"),
                    Scan.of("e3", SELL, "03-03 10:00", "PH-1").txn("T2"))).isEmpty();
        }

        @Test
        void aReturnToTheConsumingPartyReversesItToo() {
            assertThat(findings(
                    Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24).txn("T1"),
                    Scan.of("e2", RETURN, "03-02 10:00", "DS-1").to("PH-1"),
                    Scan.of("e3", SELL, "03-03 10:00", "PH-1").txn("T2"))).isEmpty();
        }

        @Test
        void aReturnOnlyReversesTheLatestConsumption() {
            assertThat(findings(
                    Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24).qty(12),
                    Scan.of("e2", SELL, "03-01 11:00", "PH-1").qty(12),
                    Scan.of("e3", RETURN, "03-01 16:00", "PH-1"),
                    Scan.of("e4", SELL, "03-02 10:00", "PH-1").qty(12),
                    Scan.of("e5", SELL, "03-03 10:00", "PH-1").qty(1)))
                    .containsExactly("DUPLICATE_SALE@e5");
        }

        @Test
        void aLaterEventMayChangeThePackSize() {
            assertThat(findings(
                    Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24).qty(20),
                    Scan.of("e2", SELL, "03-02 10:00", "PH-1").pack(28).qty(6)))
                    .isEmpty();
        }
    }

    @Nested
    class ImpossibleRoute {
        @Test
        void aCleanChainIsFine() {
            assertThat(findings(
                    Scan.of("e1", COMMISSION, "03-01 08:00", "MF-1"),
                    Scan.of("e2", SHIP, "03-01 09:00", "MF-1").to("DS-1"),
                    Scan.of("e3", RECEIVE, "03-01 15:00", "DS-1").to("MF-1"),
                    Scan.of("e4", SHIP, "03-02 09:00", "DS-1").to("PH-1"),
                    Scan.of("e5", RECEIVE, "03-02 11:00", "PH-1").to("DS-1"),
                    Scan.of("e6", SELL, "03-03 11:00", "PH-1"),
                    Scan.of("e7", DESTROY, "03-04 11:00", "MF-1"))).isEmpty();
        }

        @Test
        void receivedByAPartyOtherThanTheConsignee() {
            assertThat(findings(
                    Scan.of("e1", SHIP, "03-01 09:00", "DS-1").to("PH-1"),
                    Scan.of("e2", RECEIVE, "03-01 11:00", "PH-2").to("DS-1"),
                    Scan.of("e3", SELL, "03-02 11:00", "PH-2")))
                    .containsExactly("IMPOSSIBLE_ROUTE@e2");
        }

        @Test
        void aMissingShipIsCoveredWhenTheReceiverNamesTheHolder() {
            assertThat(findings(
                    Scan.of("e1", RECEIVE, "03-01 09:00", "DS-1").to("MF-1"),
                    Scan.of("e2", RECEIVE, "03-02 11:00", "PH-1").to("DS-1"),
                    Scan.of("e3", SELL, "03-03 11:00", "PH-1"))).isEmpty();
        }

        @Test
        void aMissingReceiveIsFine() {
            assertThat(findings(
                    Scan.of("e1", SHIP, "03-01 09:00", "DS-1").to("PH-1"),
                    Scan.of("e2", SELL, "03-02 11:00", "PH-1"))).isEmpty();
        }

        @Test
        void shippedByAPartyThatDoesNotHoldThePack() {
            assertThat(findings(
                    Scan.of("e1", RECEIVE, "03-01 09:00", "DS-1").to("MF-1"),
                    Scan.of("e2", SHIP, "03-02 09:00", "DS-2").to("PH-1"),
                    Scan.of("e3", RECEIVE, "03-02 11:00", "PH-1").to("DS-2")))
                    .containsExactly("IMPOSSIBLE_ROUTE@e2");
        }

        @Test
        void aClockSkewedShipAfterTheReceiveIsFine() {
            assertThat(findings(
                    Scan.of("e1", RECEIVE, "03-01 09:00", "DS-1").to("MF-1"),
                    Scan.of("e2", RECEIVE, "03-02 10:00", "PH-1").to("DS-1"),
                    Scan.of("e3", SHIP, "03-02 10:04", "DS-1").to("PH-1"))).isEmpty();
        }

        @Test
        void soldAtAPharmacyThatDoesNotHoldThePack() {
            assertThat(findings(
                    Scan.of("e1", RECEIVE, "03-01 09:00", "PH-1").to("DS-1"),
                    Scan.of("e2", SELL, "03-02 11:00", "PH-2")))
                    .containsExactly("IMPOSSIBLE_ROUTE@e2");
        }

        @Test
        void settleAndDestroyAreNotCustodyChecked() {
            assertThat(findings(
                    Scan.of("e1", RECEIVE, "03-01 09:00", "PH-1").to("DS-1"),
                    Scan.of("e2", SETTLE, "03-02 11:00", "INS-1"),
                    Scan.of("e3", DESTROY, "03-03 11:00", "DS-9"))).isEmpty();
        }

        @Test
        void tooFastBetweenTwoLocatedScans() {
            assertThat(findings(
                    Scan.of("e1", SHIP, "03-01 09:00", "DS-1").to("PH-9").at(TIANJIN_A[0], TIANJIN_A[1]),
                    Scan.of("e2", RECEIVE, "03-01 12:00", "PH-9").to("DS-1").at(GUANGZHOU[0], GUANGZHOU[1])))
                    .containsExactly("IMPOSSIBLE_ROUTE@e2");
        }

        @Test
        void farButPlausibleGivenEnoughTime() {
            assertThat(findings(
                    Scan.of("e1", SHIP, "03-01 09:00", "DS-1").to("PH-9").at(TIANJIN_A[0], TIANJIN_A[1]),
                    Scan.of("e2", RECEIVE, "03-02 09:00", "PH-9").to("DS-1").at(GUANGZHOU[0], GUANGZHOU[1])))
                    .isEmpty();
        }

        @Test
        void nearbySitesAreWithinTheLocationSlackEvenAtTheSameMinute() {
            assertThat(findings(
                    Scan.of("e1", SHIP, "03-01 09:00", "DS-1").to("PH-1").at(TIANJIN_A[0], TIANJIN_A[1]),
                    Scan.of("e2", RECEIVE, "03-01 09:00", "PH-1").to("DS-1").at(TIANJIN_B[0], TIANJIN_B[1])))
                    .isEmpty();
        }

        @Test
        void travelIsJudgedAgainstThePreviousLocatedScanSkippingUnlocatedOnes() {
            assertThat(findings(
                    Scan.of("e1", RECEIVE, "03-01 09:00", "PH-9").to("DS-1").at(TIANJIN_A[0], TIANJIN_A[1]),
                    Scan.of("e2", SETTLE, "03-01 10:00", "PH-9").txn("T1"),
                    Scan.of("e3", SELL, "03-01 11:00", "PH-9").txn("T1").at(GUANGZHOU[0], GUANGZHOU[1])))
                    .containsExactly("IMPOSSIBLE_ROUTE@e3");
        }

        @Test
        void custodyAndTravelTogetherRaiseOneAlert() {
            assertThat(WALK.findings(List.of(
                    Scan.of("e1", SHIP, "03-01 09:00", "DS-1").to("PH-1").at(TIANJIN_A[0], TIANJIN_A[1]).build(),
                    Scan.of("e2", RECEIVE, "03-01 10:00", "PH-9").to("DS-1").at(GUANGZHOU[0], GUANGZHOU[1]).build()), DEFAULTS))
                    .singleElement()
                    .isInstanceOfSatisfying(Finding.ImpossibleRoute.class, route -> {
                        assertThat(route.custodyBroken()).isTrue();
                        assertThat(route.tooFast()).isTrue();
                        assertThat(route.holder()).isEqualTo("PH-1");
                    });
        }

        @Test
        void aReturnMovesCustodyToTheCounterparty() {
            assertThat(findings(
                    Scan.of("e1", RECEIVE, "03-01 09:00", "PH-1").to("DS-1"),
                    Scan.of("e2", RETURN, "03-02 09:00", "PH-1").to("DS-1"),
                    Scan.of("e3", SHIP, "03-03 09:00", "DS-1").to("PH-2"),
                    Scan.of("e4", RECEIVE, "03-03 11:00", "PH-2").to("DS-1"),
                    Scan.of("e5", SELL, "03-04 11:00", "PH-2"))).isEmpty();
        }

        @Test
        void aShipWithoutConsigneeMakesTheHolderUnknown() {
            assertThat(findings(
                    Scan.of("e1", RECEIVE, "03-01 09:00", "DS-1").to("MF-1"),
                    Scan.of("e2", SHIP, "03-02 09:00", "DS-1"),
                    Scan.of("e3", RECEIVE, "03-02 11:00", "PH-7"),
                    Scan.of("e4", SELL, "03-03 11:00", "PH-7"))).isEmpty();
        }

        @Test
        void aCloneSoldFirstBreaksCustodyOfTheGenuineSaleToo() {
            assertThat(findings(
                    Scan.of("e1", RECEIVE, "03-01 09:00", "PH-1").to("DS-1").pack(24),
                    Scan.of("e2", SELL, "03-02 10:00", "PH-2"),
                    Scan.of("e3", SELL, "03-03 10:00", "PH-1")))
                    .containsExactly("DUPLICATE_SALE@e3", "IMPOSSIBLE_ROUTE@e2", "IMPOSSIBLE_ROUTE@e3");
        }
    }

    @Nested
    class PostDispenseResale {
        @Test
        void dispensingAndSettlingIsNotResale() {
            assertThat(findings(
                    Scan.of("e1", RECEIVE, "03-01 09:00", "HOS-1").to("DS-1"),
                    Scan.of("e2", SETTLE, "03-02 10:01", "HOS-1").txn("RX1"),
                    Scan.of("e3", DISPENSE, "03-02 10:00", "HOS-1").txn("RX1"))).isEmpty();
        }

        @Test
        void inboundScanAfterSettlementFiresOnce() {
            assertThat(findings(
                    Scan.of("e1", RECEIVE, "03-01 09:00", "PH-1").to("DS-1").pack(28),
                    Scan.of("e2", SELL, "03-02 10:00", "PH-1").txn("T1"),
                    Scan.of("e3", SETTLE, "03-02 10:01", "PH-1").txn("T1"),
                    Scan.of("e4", RECEIVE, "03-10 10:00", "PH-2").to("DS-9"),
                    Scan.of("e5", SELL, "03-11 10:00", "PH-2").txn("T9")))
                    .containsExactly("DUPLICATE_SALE@e5", "IMPOSSIBLE_ROUTE@e4", "POST_DISPENSE_RESALE@e4");
        }

        @Test
        void aPlainRetailSaleIsNotDispensed() {
            assertThat(findings(
                    Scan.of("e1", RECEIVE, "03-01 09:00", "PH-1").to("DS-1"),
                    Scan.of("e2", SELL, "03-02 10:00", "PH-1"),
                    Scan.of("e3", SHIP, "03-03 10:00", "PH-1").to("DS-1")))
                    .isEmpty();
        }

        @Test
        void shippingASettledPackBackIsResale() {
            assertThat(findings(
                    Scan.of("e1", RECEIVE, "03-01 09:00", "PH-1").to("DS-1"),
                    Scan.of("e2", SELL, "03-02 10:00", "PH-1").txn("T1"),
                    Scan.of("e3", SETTLE, "03-02 10:01", "PH-1").txn("T1"),
                    Scan.of("e4", SHIP, "03-05 10:00", "PH-1").to("DS-1"),
                    Scan.of("e5", RECEIVE, "03-05 12:00", "DS-1").to("PH-1")))
                    .containsExactly("POST_DISPENSE_RESALE@e4");
        }

        @Test
        void furtherSplitSalesByTheDispenserAreNotResale() {
            assertThat(findings(
                    Scan.of("e1", RECEIVE, "03-01 09:00", "PH-1").to("DS-1").pack(24),
                    Scan.of("e2", SELL, "03-02 10:00", "PH-1").qty(6).txn("T1"),
                    Scan.of("e3", SETTLE, "03-02 10:01", "PH-1").qty(6).txn("T1"),
                    Scan.of("e4", SELL, "03-03 10:00", "PH-1").qty(6).txn("T2"),
                    Scan.of("e5", SELL, "03-04 10:00", "PH-1").qty(12).txn("T3"))).isEmpty();
        }

        @Test
        void dispensedByAnotherPartyIsResale() {
            assertThat(findings(
                    Scan.of("e1", DISPENSE, "03-01 09:00", "HOS-1").txn("RX1"),
                    Scan.of("e2", DISPENSE, "03-02 09:00", "CL-2").txn("RX7")))
                    .containsExactly("DUPLICATE_SALE@e2", "IMPOSSIBLE_ROUTE@e2", "POST_DISPENSE_RESALE@e2");
        }

        @Test
        void firesAgainOnlyAfterEveryDispensedConsumptionWasReversedAndANewOneMade() {
            assertThat(findings(
                    Scan.of("e1", RECEIVE, "03-01 09:00", "HOS-1").to("DS-1"),
                    Scan.of("e2", DISPENSE, "03-02 10:00", "HOS-1").txn("RX1"),
                    Scan.of("e3", SETTLE, "03-02 10:01", "HOS-1").txn("RX1"),
                    Scan.of("e4", RECEIVE, "03-05 10:00", "PH-1").to("DS-9"),
                    Scan.of("e5", SHIP, "03-06 10:00", "PH-1").to("DS-9"),
                    Scan.of("e6", RETURN, "03-07 10:00", "PH-1").to("HOS-1"),
                    Scan.of("e7", RECEIVE, "03-08 10:00", "PH-3").to("DS-9"),
                    Scan.of("e8", DISPENSE, "03-09 10:00", "HOS-1").txn("RX2"),
                    Scan.of("e9", RECEIVE, "03-12 10:00", "PH-2").to("DS-9")))
                    .contains("POST_DISPENSE_RESALE@e4", "POST_DISPENSE_RESALE@e9")
                    .doesNotContain("POST_DISPENSE_RESALE@e5", "POST_DISPENSE_RESALE@e7");
        }
    }

    @Test
    void rulesAreJudgedIndependentlyOnOneTrigger() {
        assertThat(findings(
                Scan.of("e1", RECEIVE, "03-01 09:00", "PH-1").to("DS-1").pack(24),
                Scan.of("e2", SELL, "03-02 10:00", "PH-1").txn("T1"),
                Scan.of("e3", SETTLE, "03-02 10:01", "PH-1").txn("T1"),
                Scan.of("e4", SELL, "03-03 10:00", "PH-2").txn("T2")))
                .containsExactly("DUPLICATE_SALE@e4", "IMPOSSIBLE_ROUTE@e4", "POST_DISPENSE_RESALE@e4");
    }

    @Test
    void findingsCarryTheEvidenceThatMakesTheTriggerAnomalous() {
        List<Finding> found = WALK.findings(List.of(
                Scan.of("e1", RECEIVE, "03-01 09:00", "PH-1").to("DS-1").pack(24).build(),
                Scan.of("e2", SELL, "03-02 10:00", "PH-1").qty(20).build(),
                Scan.of("e3", SELL, "03-03 10:00", "PH-1").qty(5).build()), DEFAULTS);
        assertThat(found).singleElement().isInstanceOfSatisfying(Finding.DuplicateSale.class, dup -> {
            assertThat(dup.evidence()).extracting(ScanEvent::getEventId).containsExactly("e2");
            assertThat(dup.consumedUnits()).isEqualTo(25);
            assertThat(dup.packSize()).isEqualTo(24);
        });
    }
}
