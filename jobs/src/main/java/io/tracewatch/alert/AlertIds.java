package io.tracewatch.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Alert ids are a hash of rule, code and trigger event_id: the same finding gets the same id in a
 * restarted, failed-over or replayed job, so case systems see one case, not many.
 */
public final class AlertIds {
    private static final int ID_BYTES = 16;

    private AlertIds() {}

    public static String of(String rule, String code, String triggerEventId) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
        // NUL separators: no rule, code or event_id can contain one, so distinct triples never collide by concatenation
        byte[] digest = sha256.digest((rule + '\0' + code + '\0' + triggerEventId).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, ID_BYTES);
    }
}
