package io.tracewatch.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The strings of one sealed history, each written once and referred to by its index: a party's id
 * recurs as holder, consumer, upstream holder and in the kept events, an alert's trigger is a kept
 * event's id. Strings of hexadecimal digits (event ids, codes, product codes, most numbers) take a
 * half byte a character.
 */
final class StringTable {
    private static final int UTF8 = 0;
    private static final int LOWER_HEX = 1;
    private static final int UPPER_HEX = 2;
    private static final String LOWER_DIGITS = "0123456789abcdef";
    private static final String UPPER_DIGITS = "0123456789ABCDEF";
    /** More strings than a seal can name: the bytes are corrupt. */
    private static final int MAX_STRINGS = 1 << 20;
    private static final int MAX_STRING_BYTES = 1 << 20;

    private StringTable() {}

    /** Collects a seal's strings as its body is written, then writes them ahead of it. */
    static final class Writer {
        private final Map<String, Integer> indexes = new LinkedHashMap<>();

        /** Writes the index of {@code text}, adding it to the table the first time. */
        void writeRef(String text, DataOutputView out) throws IOException {
            Integer index = indexes.get(text);
            if (index == null) {
                index = indexes.size();
                indexes.put(text, index);
            }
            CompactNumbers.writeUnsigned(index, out);
        }

        void writeTo(DataOutputView out) throws IOException {
            CompactNumbers.writeUnsigned(indexes.size(), out);
            for (String text : indexes.keySet()) {
                writeString(text, out);
            }
        }
    }

    /** A seal's strings as read back, for its body's references. */
    static final class Reader {
        private final List<String> strings;

        private Reader(List<String> strings) {
            this.strings = strings;
        }

        static Reader read(DataInputView in) throws IOException {
            int count = CompactNumbers.readCount(in, MAX_STRINGS, "sealed strings");
            List<String> strings = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                strings.add(readString(in));
            }
            return new Reader(strings);
        }

        String readRef(DataInputView in) throws IOException {
            long index = CompactNumbers.readUnsigned(in);
            if (index < 0 || index >= strings.size()) {
                throw new IOException("corrupt code state: string " + index + " of " + strings.size());
            }
            return strings.get((int) index);
        }
    }

    static void writeString(String text, DataOutputView out) throws IOException {
        int kind = hexKind(text);
        if (kind == UTF8) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            CompactNumbers.writeUnsigned((long) bytes.length << 2 | UTF8, out);
            out.write(bytes);
            return;
        }
        CompactNumbers.writeUnsigned((long) text.length() << 2 | kind, out);
        String digits = kind == LOWER_HEX ? LOWER_DIGITS : UPPER_DIGITS;
        for (int i = 0; i < text.length(); i += 2) {
            int high = digits.indexOf(text.charAt(i));
            int low = i + 1 < text.length() ? digits.indexOf(text.charAt(i + 1)) : 0;
            out.writeByte(high << 4 | low);
        }
    }

    static String readString(DataInputView in) throws IOException {
        long header = CompactNumbers.readUnsigned(in);
        int kind = (int) (header & 3);
        long length = header >>> 2;
        if (length > MAX_STRING_BYTES || kind > UPPER_HEX) {
            throw new IOException("corrupt code state: string header " + header);
        }
        if (kind == UTF8) {
            byte[] bytes = new byte[(int) length];
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
        String digits = kind == LOWER_HEX ? LOWER_DIGITS : UPPER_DIGITS;
        char[] chars = new char[(int) length];
        for (int i = 0; i < chars.length; i += 2) {
            int pair = in.readUnsignedByte();
            chars[i] = digits.charAt(pair >>> 4);
            if (i + 1 < chars.length) {
                chars[i + 1] = digits.charAt(pair & 0xf);
            }
        }
        return new String(chars);
    }

    /** Lower-case hexadecimal (which includes plain digits), upper-case, or neither. */
    private static int hexKind(String text) {
        if (text.isEmpty()) {
            return UTF8;
        }
        boolean lower = true;
        boolean upper = true;
        for (int i = 0; i < text.length() && (lower || upper); i++) {
            char c = text.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            lower &= digit || c >= 'a' && c <= 'f';
            upper &= digit || c >= 'A' && c <= 'F';
        }
        return lower ? LOWER_HEX : upper ? UPPER_HEX : UTF8;
    }
}
