package io.tracewatch.generate;

import java.util.Random;

/** Ways upstream systems break records, applied to a valid JSON line. */
final class Malformed {
    private Malformed() {}

    static String spoil(String json, Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> json.substring(0, json.length() / 2);
            case 1 -> json.replaceFirst("\"code\":\"[0-9A-Za-z]+\",", "");
            case 2 -> json.replaceFirst("\"event_type\":\"[A-Z]+\"", "\"event_type\":\"RECALL\"");
            default -> json.replaceFirst("(\"event_time\":\"[^\"]*?)(Z|[+-][0-9]{2}:[0-9]{2})\"", "$1\"");
        };
    }
}
