package io.tracewatch.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JudgedAheadTest {
    @Test
    void anUploadAtOrBeforeWhereItsCodeWasJudgedIsCoveredUntilTheWatermarkCatchesUp() {
        JudgedAhead ahead = new JudgedAhead(10);
        ahead.judged("A", 5_000);

        assertThat(ahead.covers("A", 5_000)).isTrue();
        assertThat(ahead.covers("A", 5_001)).isFalse();
        assertThat(ahead.covers("B", 0)).isFalse();

        ahead.watermarkAt(4_999);
        assertThat(ahead.covers("A", 1_000)).isTrue();
        ahead.watermarkAt(5_000);
        assertThat(ahead.covers("A", 1_000)).as("the watermark judges it late by itself now").isFalse();
    }

    @Test
    void pastItsCapacityTheCodeJudgedFirstIsForgotten() {
        JudgedAhead ahead = new JudgedAhead(2);
        ahead.judged("A", 1_000);
        ahead.judged("B", 1_000);
        ahead.judged("C", 1_000);

        assertThat(ahead.covers("A", 0)).isFalse();
        assertThat(ahead.covers("B", 0)).isTrue();
        assertThat(ahead.covers("C", 0)).isTrue();
    }
}
