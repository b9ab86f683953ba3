package io.tracewatch.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracewatch.settings.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Feed tokens from the environment, as README.md writes them. */
class AccessTokensTest {
    private static final String LEAD = "0123456789abcdef0123456789abcdef";
    private static final String VIEWER = "fedcba9876543210fedcba9876543210";

    @Test
    void entriesAreSeparatedByLineEndsOrSemicolons() {
        for (String separator : new String[] {"\n", ";", "\r\n"}) {
            AccessTokens tokens = AccessTokens.load(null, Map.of(AccessTokens.ENVIRONMENT,
                    "city-lead " + LEAD + " read,handle *" + separator + "heping-viewer " + VIEWER + " read 120101"));
            assertThat(tokens.scopeOf(LEAD)).get().satisfies(scope -> assertThat(scope.may(AccessTokens.HANDLE)).isTrue());
            assertThat(tokens.scopeOf(VIEWER)).get().satisfies(scope -> {
                assertThat(scope.covers("120101")).isTrue();
                assertThat(scope.covers("120102")).isFalse();
            });
        }
    }

    @Test
    void aTokenShorterThanSixteenCharactersIsRefused() {
        assertThatThrownBy(() -> AccessTokens.load(null, Map.of(AccessTokens.ENVIRONMENT, "ops 0123456789abcde read *")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("shorter than 16 characters");
    }
}
