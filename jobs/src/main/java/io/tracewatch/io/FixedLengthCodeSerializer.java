package io.tracewatch.io;

import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Traceability codes as keys of one fixed length: the 8-64 ASCII characters a valid code has,
 * last character first, padded with zero bytes. Batch replay sorts every record by its key; a
 * fixed-length key lets Flink's sorter compare the first bytes of keys in place, and codes differ
 * most in their last characters (the serial number), so those come first.
 */
public final class FixedLengthCodeSerializer extends TypeSerializerSingleton<String> {
    public static final int LENGTH = 64;
    public static final FixedLengthCodeSerializer INSTANCE = new FixedLengthCodeSerializer();
    public static final TypeInformation<String> TYPE = new SerializerTypeInfo<>(String.class, INSTANCE, true);

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public String createInstance() {
        return "";
    }

    @Override
    public String copy(String from) {
        return from;
    }

    @Override
    public String copy(String from, String reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return LENGTH;
    }

    @Override
    public void serialize(String code, DataOutputView out) throws IOException {
        int length = code.length();
        if (length > LENGTH) {
            throw new IOException("code longer than " + LENGTH + " characters: " + code.substring(0, LENGTH) + "...");
        }
        for (int i = length - 1; i >= 0; i--) {
            out.writeByte(code.charAt(i));
        }
        for (int i = length; i < LENGTH; i++) {
            out.writeByte(0);
        }
    }

    @Override
    public String deserialize(DataInputView in) throws IOException {
        byte[] bytes = new byte[LENGTH];
        in.readFully(bytes);
        int length = 0;
        while (length < LENGTH && bytes[length] != 0) {
            length++;
        }
        char[] code = new char[length];
        for (int i = 0; i < length; i++) {
            code[length - 1 - i] = (char) bytes[i];
        }
        return new String(code);
    }

    @Override
    public String deserialize(String reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        target.write(source, LENGTH);
    }

    @Override
    public TypeSerializerSnapshot<String> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<String> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
