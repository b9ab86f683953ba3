package io.tracewatch.io.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * A fingerprint of a JSON value that is equal for equal JSON values: the order of an object's
 * fields and the spelling of numbers (10, 10.0, 1e1) do not matter, everything else does, unknown
 * fields and nulls included. It tells a re-upload (equal content) from a conflicting duplicate.
 */
final class JsonContent {
    private static final long NULL = 0x6e756c6c6e756c6cL;
    private static final long TRUE = 0x7472756574727565L;
    private static final long FALSE = 0x66616c7365666c73L;
    private static final long NUMBER_SEED = 0x6e756dL;
    private static final long FNV_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private JsonContent() {}

    private static final long NAME_SEED = 0x6669656c64L;
    /** The contract's field names, hashed once: every record has most of them. */
    private static final java.util.Map<String, Long> NAMES = java.util.stream.Stream.of("event_id", "code", "event_type", "event_time",
                    "party_id", "party_type", "region", "lat", "lon", "counterparty_id", "product_code", "batch", "expiry_date",
                    "pack_size", "quantity", "transaction_id", "patient_ref")
            .collect(java.util.stream.Collectors.toUnmodifiableMap(name -> name, name -> text(name, NAME_SEED)));

    /** The fingerprint of one field of an object; an object's is the sum of its fields', so field order does not count. */
    static long field(String name, long value) {
        Long known = NAMES.get(name);
        return mix((known != null ? known : text(name, NAME_SEED)) * 31 + value);
    }

    /** The fingerprint of the scalar the parser is on; nothing is consumed. */
    static long scalar(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> text(parser.getText(), 0x737472L);
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number(parser.getText());
            case VALUE_TRUE -> TRUE;
            case VALUE_FALSE -> FALSE;
            default -> NULL;
        };
    }

    /** The fingerprint of the object or array the parser starts; consumes it, leaving the parser on its end. */
    static long structure(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.START_OBJECT) {
            long sum = 0x6f626a656374L;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                sum += field(name, value(parser, parser.nextToken()));
            }
            return mix(sum);
        }
        long hash = 0x6172726179L;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            hash = mix(hash * 31 + value(parser, token));
        }
        return hash;
    }

    static long value(JsonParser parser, JsonToken token) throws IOException {
        return token.isStructStart() ? structure(parser) : scalar(parser, token);
    }

    /**
     * Numbers are equal when their values are: 10, 10.0 and 1e1 give one fingerprint. The value is
     * written as its significant digits and a decimal exponent, in one linear pass, since a record
     * may hold a number as long as itself.
     */
    static long number(String text) {
        long hash = canonicalNumberHash(text);
        return hash != 0 ? hash : canonicalNumberText(text);
    }

    /** The fingerprint of a number by its canonical spelling, built as text: for every spelling. */
    static long canonicalNumberText(String text) {
        return text(canonicalNumber(text), NUMBER_SEED);
    }

    /**
     * The same fingerprint as {@link #canonicalNumberText}, for a number without an exponent (the
     * coordinates and counts of nearly every record), hashed straight from its digits without
     * building the canonical text; 0 for any other spelling.
     */
    private static long canonicalNumberHash(String text) {
        int n = text.length();
        int i = n > 0 && (text.charAt(0) == '-' || text.charAt(0) == '+') ? 1 : 0;
        boolean negative = i == 1 && text.charAt(0) == '-';
        int firstSignificant = -1;
        int lastSignificant = -1;
        int zerosAfterLast = 0;
        long fractionDigits = 0;
        boolean fraction = false;
        for (int at = i; at < n; at++) {
            char c = text.charAt(at);
            if (c == '.') {
                fraction = true;
            } else if (c >= '0' && c <= '9') {
                if (c != '0') {
                    firstSignificant = firstSignificant < 0 ? at : firstSignificant;
                    lastSignificant = at;
                    zerosAfterLast = 0;
                } else {
                    zerosAfterLast++;
                }
                if (fraction) {
                    fractionDigits++;
                }
            } else {
                return 0;
            }
        }
        long hash = FNV_BASIS ^ NUMBER_SEED;
        if (firstSignificant < 0) {
            return mix((hash ^ '0') * FNV_PRIME);
        }
        if (negative) {
            hash = (hash ^ '-') * FNV_PRIME;
        }
        for (int at = firstSignificant; at <= lastSignificant; at++) {
            char c = text.charAt(at);
            if (c != '.') {
                hash = (hash ^ c) * FNV_PRIME;
            }
        }
        hash = (hash ^ 'e') * FNV_PRIME;
        String exponent = Long.toString(zerosAfterLast - fractionDigits);
        for (int at = 0; at < exponent.length(); at++) {
            hash = (hash ^ exponent.charAt(at)) * FNV_PRIME;
        }
        return mix(hash);
    }

    static String canonicalNumber(String text) {
        int i = 0;
        int n = text.length();
        boolean negative = i < n && text.charAt(i) == '-';
        if (negative || (i < n && text.charAt(i) == '+')) {
            i++;
        }
        StringBuilder digits = new StringBuilder();
        long pointShift = 0;
        boolean fraction = false;
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (c == '.') {
                fraction = true;
            } else if (c >= '0' && c <= '9') {
                if (digits.length() > 0 || c != '0') {
                    digits.append(c);
                }
                if (fraction) {
                    pointShift--;
                }
            } else {
                break;
            }
        }
        long exponent = pointShift;
        java.math.BigInteger largeExponent = null;
        if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            String written = text.substring(i + 1);
            try {
                if (written.length() < 18) {
                    exponent += Long.parseLong(written);
                } else {
                    largeExponent = new java.math.BigInteger(written).add(java.math.BigInteger.valueOf(pointShift));
                }
            } catch (NumberFormatException e) {
                return text;
            }
        }
        if (digits.length() == 0) {
            return "0";
        }
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        int trailingZeros = digits.length() - end;
        // an exponent written with 18 digits or more is rare and hostile: only it pays for BigInteger
        String shown = largeExponent != null ? largeExponent.add(java.math.BigInteger.valueOf(trailingZeros)).toString()
                : Long.toString(exponent + trailingZeros);
        digits.setLength(end);
        return (negative ? "-" : "") + digits.append('e').append(shown);
    }

    private static long text(String text, long seed) {
        long hash = FNV_BASIS ^ seed;
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * FNV_PRIME;
        }
        return mix(hash);
    }

    /** MurmurHash3's final mix: spreads every input bit over the whole word. */
    private static long mix(long value) {
        long h = value;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
