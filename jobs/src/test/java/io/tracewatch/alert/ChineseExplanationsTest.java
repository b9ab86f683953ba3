package io.tracewatch.alert;

import static io.tracewatch.model.EventType.DESTROY;
import static io.tracewatch.model.EventType.RECEIVE;
import static io.tracewatch.model.EventType.SELL;
import static io.tracewatch.model.EventType.SETTLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.rules.Events;
import io.tracewatch.rules.Finding;
import io.tracewatch.rules.HistoryWalk;
import io.tracewatch.rules.Reference;
import io.tracewatch.testing.Scan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The Chinese sentences (contract v1.2 explanation_zh), in the regulators' terms, ids and times as in English. */
class ChineseExplanationsTest {
    private static final Reference NONE = Reference.none(TracewatchConfig.defaults().detection().ruleSettings());

    /** What the walk finds, as "RULE@trigger" to its Chinese sentence. */
    private static Map<String, String> sentences(Scan... scans) {
        List<ScanEvent> history = new ArrayList<>(Arrays.stream(scans).map(Scan::build).toList());
        history.sort(Events.EVENT_TIME_ORDER);
        Map<String, String> sentences = new TreeMap<>();
        for (Finding finding : HistoryWalk.standard().findings(history, NONE)) {
            sentences.put(finding.rule() + "@" + finding.trigger().getEventId(), ChineseExplanations.of(finding));
        }
        return sentences;
    }

    @Test
    void aResoldPackIsSaidWithItsResaleItsRouteAndItsDuplicateSaleAndCause() {
        assertThat(sentences(
                Scan.of("e1", RECEIVE, "03-01 09:00", "PH-1").to("DS-1").pack(28),
                Scan.of("e2", SELL, "03-02 10:00", "PH-1").txn("T1"),
                Scan.of("e3", SETTLE, "03-02 10:01", "PH-1").txn("T1"),
                Scan.of("e4", RECEIVE, "03-10 10:00", "PH-2").to("DS-9"),
                Scan.of("e5", SELL, "03-11 10:00", "PH-2").txn("T9"))).containsExactly(
                Map.entry("DUPLICATE_SALE@e5", "重复销售：2026-03-11 10:00 在 PH-2 销售，使该包装累计消耗 56/28 单位，涉及 2 个单位（PH-1、PH-2），"
                        + "此前已于 2026-03-02 10:00 在 PH-1 销售；原因：发药后被回收转售（回流）"),
                Map.entry("IMPOSSIBLE_ROUTE@e4", "流向异常：2026-03-10 10:00 在 PH-2 入库扫码（来自 DS-9），但按追溯链该包装应在 PH-1"
                        + "（2026-03-02 10:00 在 PH-1 销售）"),
                Map.entry("POST_DISPENSE_RESALE@e4", "医保回流药：2026-03-10 10:00 在 PH-2 入库扫码（来自 DS-9），而该包装已于 "
                        + "2026-03-02 10:01 为 PH-1 医保结算，到达患者后重新进入流通"));
    }

    @Test
    void destroyedAndExpiredPacksAreSaidWithWhatShouldHaveEndedThem() {
        assertThat(sentences(
                Scan.of("e1", RECEIVE, "03-01 09:00", "PH-1").to("DS-1").expiry("2026-03-05"),
                Scan.of("e2", DESTROY, "03-06 09:00", "PH-1"),
                Scan.of("e3", SELL, "03-07 10:00", "PH-1").qty(2))).containsExactly(
                Map.entry("DESTROYED_PACK@e3", "销毁后再流通：2026-03-07 10:00 在 PH-1 销售（拆零 2 单位），而该包装已于 2026-03-06 09:00 在 PH-1 销毁"),
                Map.entry("EXPIRED_PACK@e3", "过期药品：2026-03-07 10:00 在 PH-1 销售（拆零 2 单位），晚于该包装的有效期 2026-03-05"
                        + "（有效期见 2026-03-01 09:00 在 PH-1 入库扫码（来自 DS-1））"));
    }

    @Test
    void aWithdrawnAlertSaysWhichLateUploadWithdrewIt() {
        ScanEvent late = Scan.of("e9", RECEIVE, "03-03 09:00", "PH-1").to("DS-1").build();
        assertThat(ChineseExplanations.retraction(io.tracewatch.rules.RuleId.IMPOSSIBLE_ROUTE, "e4", late))
                .isEqualTo("撤回：因迟到上传的 e9（2026-03-03 09:00 在 PH-1 入库扫码（来自 DS-1）），e4 不再构成流向异常");
    }
}
