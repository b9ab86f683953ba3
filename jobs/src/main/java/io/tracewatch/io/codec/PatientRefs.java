package io.tracewatch.io.codec;

import io.tracewatch.settings.ConfigException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pseudonymous patients end to end: at ingest a scan's patient_ref is replaced by HMAC-SHA256 under
 * a secret key, so the same patient keeps one reference and no raw value reaches state,
 * checkpoints, outputs or logs. Without a key it is dropped.
 */
public final class PatientRefs implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final String ALGORITHM = "HmacSHA256";
    /** Pseudonyms are the first 16 bytes of the HMAC, in hex, marked so that no one mistakes them for raw values. */
    private static final int PSEUDONYM_BYTES = 16;

    private final byte[] key;
    private transient Mac mac;

    private PatientRefs(byte[] key) {
        this.key = key;
    }

    /** patient_ref is dropped at ingest. */
    public static PatientRefs dropped() {
        return new PatientRefs(null);
    }

    /** patient_ref becomes a keyed hash under {@code key}. */
    public static PatientRefs keyed(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("the patient_ref key must have at least 16 bytes");
        }
        return new PatientRefs(key.clone());
    }

    /** Environment variable that may hold the key, as text. */
    public static final String KEY_ENV = "TRACEWATCH_PATIENT_REF_KEY";

    /** The key from {@code ingest.patient_ref_key_file}, else from {@value #KEY_ENV}; dropped when neither is set. */
    public static PatientRefs of(IngestSettings settings) {
        String text = null;
        String from = KEY_ENV;
        if (settings.patientRefKeyFile() != null && !settings.patientRefKeyFile().isBlank()) {
            from = "ingest.patient_ref_key_file " + settings.patientRefKeyFile();
            try {
                text = java.nio.file.Files.readString(java.nio.file.Path.of(settings.patientRefKeyFile()), StandardCharsets.UTF_8);
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                throw new ConfigException("cannot read " + from + ": " + e.getMessage());
            }
        } else {
            text = System.getenv(KEY_ENV);
        }
        if (text == null || text.isBlank()) {
            return dropped();
        }
        byte[] key = text.strip().getBytes(StandardCharsets.UTF_8);
        if (key.length < 16) {
            throw new ConfigException("the patient_ref key in " + from + " is too short: at least 16 bytes");
        }
        return new PatientRefs(key);
    }

    public boolean keyed() {
        return key != null;
    }

    /** The pseudonym of a raw patient_ref, or null when there is no key. */
    public String pseudonym(String raw) {
        if (key == null) {
            return null;
        }
        try {
            if (mac == null) {
                mac = Mac.getInstance(ALGORITHM);
                mac.init(new SecretKeySpec(key, ALGORITHM));
            }
            byte[] digest = mac.doFinal(raw.getBytes(StandardCharsets.UTF_8));
            return "hmac:" + HexFormat.of().formatHex(digest, 0, PSEUDONYM_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is required of every Java runtime", e);
        }
    }
}
