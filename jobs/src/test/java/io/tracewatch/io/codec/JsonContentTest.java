package io.tracewatch.io.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Numbers count by their value in the content fingerprint, whatever their spelling. */
class JsonContentTest {
    @ParameterizedTest
    @CsvSource({
        "10, 1e1", "10.0, 1e1", "1e1, 1e1", "1.0E+1, 1e1", "100e-1, 1e1", "0.010e3, 1e1",
        "0, 0", "0.000, 0", "-0, 0",
        "1.5, 15e-1", "-12.300, -123e-1", "123456789012345678901234567890, 12345678901234567890123456789e1",
        "1e99999999999999999999, 1e99999999999999999999", "2.50e-99999999999999999999, 25e-100000000000000000000",
    })
    void equalValuesHaveOneCanonicalSpelling(String written, String canonical) {
        assertThat(JsonContent.canonicalNumber(written)).isEqualTo(canonical);
    }

    @Test
    void aNumberHashedFromItsDigitsHasTheFingerprintOfItsCanonicalSpelling() {
        Random random = new Random(20261205L);
        String[] parts = {"0", "00", "1", "9", "10", "05", "117", "39.108", ".", "0.0", "-", "+", "e3", "E-2", "e+07"};
        for (int i = 0; i < 100_000; i++) {
            StringBuilder number = new StringBuilder();
            for (int length = random.nextInt(5); length >= 0; length--) {
                number.append(parts[random.nextInt(parts.length)]);
            }
            String written = number.toString();
            assertThat(JsonContent.number(written)).as(written).isEqualTo(JsonContent.canonicalNumberText(written));
        }
        assertThat(JsonContent.number("10")).isEqualTo(JsonContent.number("1.0e1")).isEqualTo(JsonContent.number("10.00"));
        assertThat(JsonContent.number("-0.050")).isEqualTo(JsonContent.number("-5e-2")).isNotEqualTo(JsonContent.number("5e-2"));
    }
}
