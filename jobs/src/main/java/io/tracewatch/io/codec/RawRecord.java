package io.tracewatch.io.codec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One input record as received, before any decoding: a line without its line end, or a Kafka
 * value. A record within the size limit is kept whole; one over it keeps only its first bytes, with
 * its full length and the digest of all of it, so that its dead letter can say what it was without
 * holding it (contract v1.1, "Limits and hostile input").
 */
public final class RawRecord {
    private final byte[] bytes;
    private final long length;
    private final boolean oversized;
    private byte[] sha256;

    private RawRecord(byte[] bytes, long length, boolean oversized, byte[] sha256) {
        this.bytes = bytes;
        this.length = length;
        this.oversized = oversized;
        this.sha256 = sha256;
    }

    /** A record held whole. */
    public static RawRecord whole(byte[] bytes) {
        return new RawRecord(bytes, bytes.length, false, null);
    }

    /** A record over the size limit: its first bytes, its length and the digest of all its bytes. */
    public static RawRecord oversized(byte[] head, long length, byte[] sha256) {
        return new RawRecord(head, length, true, sha256);
    }

    /** The whole record, or its first bytes when {@link #oversized()}. */
    public byte[] bytes() {
        return bytes;
    }

    /** Length of the whole record in bytes. */
    public long length() {
        return length;
    }

    public boolean oversized() {
        return oversized;
    }

    /** SHA-256 of the whole record. */
    public byte[] sha256() {
        if (sha256 == null) {
            sha256 = newSha256().digest(bytes);
        }
        return sha256;
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
