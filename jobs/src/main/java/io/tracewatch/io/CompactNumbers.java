package io.tracewatch.io;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Numbers in as few bytes as their value needs, for the state that a region holds for years
 * (format 6 on): variable-length integers, signed ones zig-zag encoded, times in the largest unit
 * that divides them, coordinates in the fewest decimals that give the same double back. Every
 * encoding is exact; a value that none fits is written whole behind a tag.
 */
final class CompactNumbers {
    private static final int WHOLE = 0;
    /** Beyond this a scaled value is written whole: it cannot carry the tag's bits. */
    private static final long SCALED_LIMIT = 1L << 59;
    private static final long[] TIME_UNITS = {1_000_000L, 1_000L, 1L};
    private static final double[] COORDINATE_SCALES = {1e3, 1e6};

    private CompactNumbers() {}

    static void writeUnsigned(long value, DataOutputView out) throws IOException {
        long rest = value;
        while ((rest & ~0x7fL) != 0) {
            out.writeByte((int) ((rest & 0x7f) | 0x80));
            rest >>>= 7;
        }
        out.writeByte((int) rest);
    }

    static long readUnsigned(DataInputView in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("corrupt code state: a number longer than 10 bytes");
    }

    static void writeSigned(long value, DataOutputView out) throws IOException {
        writeUnsigned(zigzag(value), out);
    }

    static long readSigned(DataInputView in) throws IOException {
        return unzigzag(readUnsigned(in));
    }

    /** A count or length that must lie in [0, max]. */
    static int readCount(DataInputView in, int max, String what) throws IOException {
        long count = readUnsigned(in);
        if (count < 0 || count > max) {
            throw new IOException("corrupt code state: " + count + " " + what);
        }
        return (int) count;
    }

    /**
     * A time or duration in microseconds or milliseconds: in whole millions or thousands when it is
     * one (scans carry whole seconds, watermarks whole milliseconds); a sentinel such as
     * {@code Long.MIN_VALUE} is written whole.
     */
    static void writeTime(long value, DataOutputView out) throws IOException {
        for (int tag = 0; tag < TIME_UNITS.length; tag++) {
            long unit = TIME_UNITS[tag];
            if (value % unit == 0 && fitsScaled(value / unit)) {
                writeUnsigned(zigzag(value / unit) << 2 | (tag + 1), out);
                return;
            }
        }
        writeUnsigned(WHOLE, out);
        out.writeLong(value);
    }

    static long readTime(DataInputView in) throws IOException {
        long tagged = readUnsigned(in);
        int tag = (int) (tagged & 3);
        if (tag == WHOLE) {
            if (tagged != WHOLE) {
                throw new IOException("corrupt code state: time tag " + tagged);
            }
            return in.readLong();
        }
        return unzigzag(tagged >>> 2) * TIME_UNITS[tag - 1];
    }

    /** A latitude or longitude: as a whole number of thousandths or millionths when that gives the same double back. */
    static void writeCoordinate(double value, DataOutputView out) throws IOException {
        long bits = Double.doubleToRawLongBits(value);
        for (int tag = 0; tag < COORDINATE_SCALES.length; tag++) {
            double scale = COORDINATE_SCALES[tag];
            long scaled = Math.round(value * scale);
            if (fitsScaled(scaled) && Double.doubleToRawLongBits(scaled / scale) == bits) {
                writeUnsigned(zigzag(scaled) << 2 | (tag + 1), out);
                return;
            }
        }
        writeUnsigned(WHOLE, out);
        out.writeLong(bits);
    }

    static double readCoordinate(DataInputView in) throws IOException {
        long tagged = readUnsigned(in);
        int tag = (int) (tagged & 3);
        if (tag == WHOLE) {
            if (tagged != WHOLE) {
                throw new IOException("corrupt code state: coordinate tag " + tagged);
            }
            return Double.longBitsToDouble(in.readLong());
        }
        if (tag > COORDINATE_SCALES.length) {
            throw new IOException("corrupt code state: coordinate tag " + tagged);
        }
        return unzigzag(tagged >>> 2) / COORDINATE_SCALES[tag - 1];
    }

    private static boolean fitsScaled(long value) {
        return value > -SCALED_LIMIT && value < SCALED_LIMIT;
    }

    private static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    private static long unzigzag(long zigzag) {
        return (zigzag >>> 1) ^ -(zigzag & 1);
    }
}
