package io.tracewatch.config;

/** Validation of loaded settings, with messages that name the setting. */
final class Checks {
    private Checks() {}

    static void present(Object value, String key) {
        if (value == null) {
            throw new ConfigException("missing setting " + key);
        }
    }

    static void positive(double value, String key) {
        if (!(value > 0)) {
            throw new ConfigException(key + " must be positive, got " + value);
        }
    }

    static void atLeast(double value, double minimum, String key) {
        if (!(value >= minimum)) {
            throw new ConfigException(key + " must be at least " + minimum + ", got " + value);
        }
    }

    static void notBlank(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new ConfigException("missing setting " + key);
        }
    }
}
