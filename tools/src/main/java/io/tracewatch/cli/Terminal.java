package io.tracewatch.cli;

/**
 * What may reach an operator's terminal from uploaded text: control characters (ESC sequences that
 * move the cursor, rewrite the title or hide text, C1 controls) and bidirectional overrides are
 * printed as escapes, never interpreted.
 */
final class Terminal {
    private Terminal() {}

    static String safe(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unsafe = c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
            if (unsafe) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** "1 alert", "2 alerts": a count with its noun, in English. */
    static String count(long n, String noun) {
        return String.format(java.util.Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
    }
}
