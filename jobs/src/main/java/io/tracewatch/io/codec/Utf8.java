package io.tracewatch.io.codec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 (contract v1.1: a record that is not valid UTF-8 is refused, never silently repaired). */
public final class Utf8 {
    private static final ThreadLocal<CharsetDecoder> STRICT = ThreadLocal.withInitial(() -> StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT));

    private Utf8() {}

    /** The text, or null when the bytes are not valid UTF-8. ASCII, the usual case, takes the fast path. */
    public static String decodeStrict(byte[] bytes, int from, int length) {
        int end = from + length;
        boolean ascii = true;
        for (int i = from; i < end; i++) {
            if (bytes[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(bytes, from, length, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = STRICT.get().reset().decode(ByteBuffer.wrap(bytes, from, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    public static String decodeStrict(byte[] bytes) {
        return decodeStrict(bytes, 0, bytes.length);
    }

    /** The text with each invalid sequence shown as U+FFFD. */
    public static String decodeLenient(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The first bytes of a longer record as text: a character cut at the end is left out rather
     * than shown as U+FFFD.
     */
    public static String decodeHead(byte[] bytes) {
        int end = bytes.length;
        int lead = end - 1;
        while (lead >= 0 && lead > end - 4 && (bytes[lead] & 0xc0) == 0x80) {
            lead--;
        }
        if (lead >= 0) {
            int b = bytes[lead] & 0xff;
            int size = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
            if (end - lead < size) {
                end = lead;
            }
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** Whether a string can be written as UTF-8: no unpaired surrogate (JSON escapes can make one). */
    public static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The longest prefix of {@code text} whose UTF-8 form has at most {@code maxBytes} bytes, cut at
     * a character boundary; the text itself when it fits.
     */
    public static String cut(String text, int maxBytes) {
        if (text.length() * 3L <= maxBytes) {
            return text;
        }
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                return text.substring(0, i);
            }
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return text;
    }

    /** The first {@code maxCodePoints} code points of {@code text}. */
    public static String firstCodePoints(String text, int maxCodePoints) {
        if (text.length() <= maxCodePoints) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, Math.min(maxCodePoints, text.codePointCount(0, text.length()))));
    }
}
