package io.tracewatch.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The compact encodings of format 6: every value back exactly, the common ones short, corrupt bytes refused. */
class CompactStateTest {
    private interface Write {
        void to(DataOutputSerializer out) throws IOException;
    }

    private static byte[] bytes(Write write) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        write.to(out);
        return out.getCopyOfBuffer();
    }

    @Test
    void timesComeBackExactlyAndWholeSecondsAreShort() throws IOException {
        long wholeSecondMicros = 1_772_000_000_000_000L;
        for (long time : new long[] {0, 1, -1, 999, 1000, -1000, wholeSecondMicros, wholeSecondMicros + 1, wholeSecondMicros + 1000,
                Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, 1L << 59, -(1L << 62), 7_776_000_000_000L}) {
            byte[] bytes = bytes(out -> CompactNumbers.writeTime(time, out));
            assertThat(CompactNumbers.readTime(new DataInputDeserializer(bytes))).as("%d", time).isEqualTo(time);
        }
        assertThat(bytes(out -> CompactNumbers.writeTime(wholeSecondMicros, out))).hasSizeLessThanOrEqualTo(5);
        assertThat(bytes(out -> CompactNumbers.writeTime(Long.MIN_VALUE, out))).hasSize(9);
    }

    @Test
    void coordinatesComeBackBitForBit() throws IOException {
        for (double value : new double[] {39.164, 117.21, -33.8688, 0.0, -0.0, 1e-7, 117.2100001, 89.999999, 1e300, Double.NaN,
                Double.POSITIVE_INFINITY, Double.MIN_VALUE, 0.1 + 0.2}) {
            byte[] bytes = bytes(out -> CompactNumbers.writeCoordinate(value, out));
            double back = CompactNumbers.readCoordinate(new DataInputDeserializer(bytes));
            assertThat(Double.doubleToRawLongBits(back)).as("%s", value).isEqualTo(Double.doubleToRawLongBits(value));
        }
        assertThat(bytes(out -> CompactNumbers.writeCoordinate(39.164, out))).hasSize(3);
    }

    @Test
    void stringsComeBackAndHexDigitsTakeHalfAByte() throws IOException {
        for (String text : List.of("", "0", "86770150000000000001", "0123456789abcdef0123456789abcdef", "ABCDEF0", "aBc", "abcg",
                "PH-120105-0027", "天津市和平区", "e|2", "\u0000", "😀x")) {
            byte[] bytes = bytes(out -> StringTable.writeString(text, out));
            assertThat(StringTable.readString(new DataInputDeserializer(bytes))).isEqualTo(text);
        }
        assertThat(bytes(out -> StringTable.writeString("0123456789abcdef0123456789abcdef", out))).hasSize(18);
        assertThat(bytes(out -> StringTable.writeString("86770150000000000001", out))).hasSize(11);
    }

    @Test
    void aTableWritesEachStringOnce() throws IOException {
        StringTable.Writer table = new StringTable.Writer();
        DataOutputSerializer refs = new DataOutputSerializer(16);
        for (String text : List.of("PH-1", "DS-1", "PH-1", "PH-1")) {
            table.writeRef(text, refs);
        }
        DataOutputSerializer out = new DataOutputSerializer(64);
        table.writeTo(out);
        out.write(refs.getSharedBuffer(), 0, refs.length());
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        StringTable.Reader back = StringTable.Reader.read(in);
        assertThat(List.of(back.readRef(in), back.readRef(in), back.readRef(in), back.readRef(in))).containsExactly("PH-1", "DS-1", "PH-1", "PH-1");
        assertThat(out.length()).isEqualTo(1 + 5 + 5 + 4);
        assertThatThrownBy(() -> back.readRef(new DataInputDeserializer(new byte[] {2}))).isInstanceOf(IOException.class)
                .hasMessageContaining("string 2 of 2");
    }

    @Test
    void corruptBytesAreRefusedAsCorruptNeverReadAsSomethingElseSilently() {
        Random random = new Random(25);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            try {
                CodeStateReader.readFormat6(new DataInputDeserializer(bytes));
            } catch (IOException e) {
                // refused: what a corrupt value must get
            } catch (RuntimeException e) {
                throw new AssertionError("random bytes " + java.util.Arrays.toString(bytes) + " threw " + e, e);
            }
        }
    }
}
