package io.tracewatch.settings;

import io.tracewatch.settings.ConfigException;

/** Validation of loaded settings, with messages that name the setting. */
public final class Checks {
    private Checks() {}

    public static void present(Object value, String key) {
        if (value == null) {
            throw new ConfigException("missing setting " + key);
        }
    }

    public static void positive(double value, String key) {
        if (!(value > 0)) {
            throw new ConfigException(key + " must be positive, got " + value);
        }
    }

    public static void atLeast(double value, double minimum, String key) {
        if (!(value >= minimum)) {
            throw new ConfigException(key + " must be at least " + minimum + ", got " + value);
        }
    }

    public static void atMost(double value, double maximum, String key) {
        if (!(value <= maximum)) {
            throw new ConfigException(key + " must be at most " + maximum + ", got " + value);
        }
    }

    public static void notBlank(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new ConfigException("missing setting " + key);
        }
    }
}
