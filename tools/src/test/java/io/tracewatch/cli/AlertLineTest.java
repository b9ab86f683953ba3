package io.tracewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.model.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Terminal lines of tail and demo: explained in Chinese for a Chinese terminal or --lang zh, else in English. */
class AlertLineTest {
    private static final Alert ALERT = Alert.newBuilder().setStatus(AlertStatus.RAISED).setAlertId("a1").setRule("EXPIRED_PACK")
            .setRuleVersion("expired-1").setSeverity(Severity.HIGH).setCode("86123450000000000001").setTriggerEventId("e3")
            .setEventTime(Instant.parse("2026-03-07T02:00:00Z")).setDetectedAt(Instant.now()).setPartyId("PH-1").setEvidence(List.of())
            .setExplanation("sold at PH-1 on 2026-03-07 10:00 after the pack's expiry date 2026-03-05")
            .setExplanationZh("过期药品：2026-03-07 10:00 在 PH-1 销售，晚于该包装的有效期 2026-03-05").build();

    @Test
    void theLanguageComesFromTheOptionElseTheTerminalsLocale() {
        assertThat(Language.of(null, Map.of("LANG", "zh_CN.UTF-8"))).isEqualTo(Language.ZH);
        assertThat(Language.of(null, Map.of("LANG", "en_US.UTF-8", "LC_ALL", "zh_TW.UTF-8"))).as("LC_ALL first").isEqualTo(Language.ZH);
        assertThat(Language.of(null, Map.of("LANG", "en_GB.UTF-8"))).isEqualTo(Language.EN);
        assertThat(Language.of(null, Map.of())).isEqualTo(Language.EN);
        assertThat(Language.of("en", Map.of("LANG", "zh_CN.UTF-8"))).as("--lang wins").isEqualTo(Language.EN);
        assertThat(Language.of("ZH", Map.of())).isEqualTo(Language.ZH);
        assertThatThrownBy(() -> Language.of("fr", Map.of())).isInstanceOf(UsageException.class).hasMessageContaining("en or zh");
    }

    @Test
    void aChineseTerminalReadsTheChineseExplanation() {
        assertThat(AlertLine.format(ALERT, 1.5, Language.ZH)).contains("EXPIRED_PACK", "PH-1: 过期药品：", "有效期 2026-03-05");
        assertThat(AlertLine.format(ALERT, 1.5, Language.EN)).contains("PH-1: sold at PH-1").doesNotContain("过期");
        Alert older = Alert.newBuilder(ALERT).setExplanationZh("").build();
        assertThat(AlertLine.format(older, 1.5, Language.ZH)).as("an alert from before explanation_zh").contains("sold at PH-1");
    }
}
