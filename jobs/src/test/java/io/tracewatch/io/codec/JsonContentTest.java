package io.tracewatch.io.codec;

import static org.assertj.core.api.Assertions.assertThat;

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
}
