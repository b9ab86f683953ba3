package io.tracewatch.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * A fingerprint of a JSON value that is equal for equal JSON values: the order of an object's
 * fields and the spelling of numbers (10, 10.0, 1e1) do not matter, everything else does, unknown
 * fields and nulls included. It tells a re-upload (equal content) from a conflicting duplicate.
 */
final class JsonContent {
    private static final long NULL = 0x6e756c6c6e756c6cL;
    private static final long TRUE = 0x7472756574727565L;
    private static final long FALSE = 0x66616c7365666c73L;

    private JsonContent() {}

    /** The fingerprint of one field of an object; an object's is the sum of its fields', so field order does not count. */
    static long field(String name, long value) {
        return mix(text(name, 0x6669656c64L) * 31 + value);
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

    private static long number(String text) {
        try {
            return text(new BigDecimal(text).stripTrailingZeros().toString(), 0x6e756dL);
        } catch (NumberFormatException e) {
            return text(text, 0x6e756dL);
        }
    }

    private static long text(String text, long seed) {
        long hash = 0xcbf29ce484222325L ^ seed;
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
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
