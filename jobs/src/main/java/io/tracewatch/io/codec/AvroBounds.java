package io.tracewatch.io.codec;

import org.apache.avro.Schema;

/**
 * Walks Avro binary data of a schema before Avro's own decoder reads it. Avro allocates whatever a
 * length prefix claims, so 20 hostile bytes claiming a 1.5 GB string exhaust the heap; here every
 * length is checked against the bytes actually there, and every string is checked to be UTF-8,
 * which Avro's decoder would repair silently (contract v1.1).
 */
final class AvroBounds {
    private final byte[] data;
    private int position;

    private AvroBounds(byte[] data, int offset) {
        this.data = data;
        this.position = offset;
    }

    /** Why {@code data} from {@code offset} is not exactly one datum of {@code schema}, or null when it is. */
    static String problem(Schema schema, byte[] data, int offset) {
        AvroBounds walk = new AvroBounds(data, offset);
        try {
            walk.datum(schema);
        } catch (Invalid e) {
            return e.getMessage();
        }
        return walk.position == data.length ? null : "trailing bytes after the record";
    }

    private void datum(Schema schema) throws Invalid {
        switch (schema.getType()) {
            case RECORD -> {
                for (Schema.Field field : schema.getFields()) {
                    datum(field.schema());
                }
            }
            case UNION -> {
                long branch = varint();
                if (branch < 0 || branch >= schema.getTypes().size()) {
                    throw new Invalid("union branch " + branch + " out of range");
                }
                datum(schema.getTypes().get((int) branch));
            }
            case ENUM -> {
                long symbol = varint();
                if (symbol < 0 || symbol >= schema.getEnumSymbols().size()) {
                    throw new Invalid("enum symbol " + symbol + " out of range");
                }
            }
            case STRING -> {
                int length = length();
                if (Utf8.decodeStrict(data, position, length) == null) {
                    throw new Invalid("invalid UTF-8 in a string");
                }
                position += length;
            }
            case BYTES -> position += length();
            case FIXED -> skip(schema.getFixedSize());
            case INT, LONG -> varint();
            case FLOAT -> skip(4);
            case DOUBLE -> skip(8);
            case BOOLEAN -> skip(1);
            case NULL -> {}
            case ARRAY -> blocks(schema.getElementType(), false);
            case MAP -> blocks(schema.getValueType(), true);
        }
    }

    private void blocks(Schema items, boolean keyed) throws Invalid {
        long count;
        while ((count = varint()) != 0) {
            if (count < 0) {
                count = -count;
                varint();
            }
            // every item takes at least one byte, except in schemas no scan record uses
            if (count > data.length - position) {
                throw new Invalid("collection of " + count + " items in " + (data.length - position) + " bytes");
            }
            for (long i = 0; i < count; i++) {
                if (keyed) {
                    datum(Schema.create(Schema.Type.STRING));
                }
                datum(items);
            }
        }
    }

    private int length() throws Invalid {
        long length = varint();
        if (length < 0 || length > data.length - position) {
            throw new Invalid("length " + length + " beyond the " + (data.length - position) + " bytes left");
        }
        return (int) length;
    }

    private void skip(int bytes) throws Invalid {
        if (bytes > data.length - position) {
            throw new Invalid("record cut short");
        }
        position += bytes;
    }

    /** A zig-zag varint of at most 10 bytes. */
    private long varint() throws Invalid {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (position >= data.length) {
                throw new Invalid("record cut short");
            }
            int b = data[position++] & 0xff;
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new Invalid("varint longer than 10 bytes");
    }

    private static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }
}
