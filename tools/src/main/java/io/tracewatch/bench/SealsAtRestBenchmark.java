package io.tracewatch.bench;

import io.tracewatch.io.CodeStateSerializer;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.CodeState;
import io.tracewatch.model.internal.RaisedAlert;
import io.tracewatch.model.internal.SealedConsumption;
import io.tracewatch.model.internal.SealedEvent;
import io.tracewatch.model.internal.SealedHistory;
import io.tracewatch.savepoint.SavepointNames;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.CompositeKeySerializationUtils;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.SerializedCompositeKeyBuilder;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.PredefinedOptions;
import org.apache.flink.state.rocksdb.RocksDBResourceContainer;
import org.apache.flink.streaming.api.operators.TimerHeapInternalTimer;
import org.apache.flink.streaming.api.operators.TimerSerializer;
import org.apache.flink.util.FileUtils;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LiveFileMetaData;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Issue 25's bytes per sealed code at rest: N sealed codes written into RocksDB as the detector's
 * state lies there (Flink's key layout, the value in today's state format, and each code's
 * retention timer in its own column family, as Flink's RocksDB timers keep it), with the options
 * Flink's RocksDB backend derives from the job's settings; then flushed and fully compacted, so
 * that the SST files are what an incremental checkpoint of a region's state at rest uploads. The
 * codes are copies of sealed codes that {@link SealedBytesBenchmark} judged and sealed, each with
 * fresh values wherever a real one is unique: its code, event ids, transaction ids, fingerprints
 * and a time shifted by up to a year. Names, products and batches keep the generated vocabulary.
 */
final class SealsAtRestBenchmark {
    private static final byte[] RETENTION_FAMILY = SavepointNames.RETENTION_TIMERS.getBytes(StandardCharsets.UTF_8);
    private static final long RETENTION_MS = Duration.ofDays(730).toMillis();
    private static final int BATCH = 1000;

    private final PrintStream log;
    private final int maxParallelism;

    SealsAtRestBenchmark(PrintStream log, int maxParallelism) {
        this.log = log;
        this.maxParallelism = maxParallelism;
    }

    /** Writes and compacts {@code codes} copies of {@code sealed} under the RocksDB options of {@code flink}, the job's Flink settings. */
    Result run(List<CodeState> sealed, long codes, RocksDbSettings variant, Configuration flink, Path work) throws Exception {
        Path dir = Files.createTempDirectory(work, "seals-at-rest");
        log.printf("  sealed codes at rest (%s): writing %,d codes...%n", variant.name(), codes);
        long started = System.nanoTime();
        long sstBytes;
        long timerBytes = 0;
        try (RocksDBResourceContainer options = new RocksDBResourceContainer(flink, PredefinedOptions.DEFAULT, null, null, null, false)) {
            // each call makes new options: take them once
            DBOptions dbOptions = options.getDbOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
            ColumnFamilyOptions columns = options.getColumnOptions();
            List<ColumnFamilyDescriptor> families = List.of(
                    new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columns),
                    new ColumnFamilyDescriptor("code-state".getBytes(StandardCharsets.UTF_8), columns),
                    new ColumnFamilyDescriptor(RETENTION_FAMILY, columns));
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            try (RocksDB db = RocksDB.open(dbOptions, dir.toString(), families, handles);
                    WriteOptions write = new WriteOptions().setDisableWAL(true)) {
                write(db, write, handles.get(1), handles.get(2), sealed, codes);
                try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                    db.flush(flush, handles.subList(1, 3));
                }
                db.compactRange(handles.get(1));
                db.compactRange(handles.get(2));
                sstBytes = 0;
                for (LiveFileMetaData file : db.getLiveFilesMetaData()) {
                    sstBytes += file.size();
                    if (Arrays.equals(file.columnFamilyName(), RETENTION_FAMILY)) {
                        timerBytes += file.size();
                    }
                }
                handles.forEach(ColumnFamilyHandle::close);
            }
        } finally {
            FileUtils.deleteDirectory(dir.toFile());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return Result.of("sealed codes at rest", variant.name() + String.format(", %,d codes", codes), codes, seconds)
                .with("codes", codes)
                .with("sst_bytes", sstBytes)
                .with("bytes_per_sealed_code", (double) sstBytes / codes)
                .with("timer_bytes_per_code", (double) timerBytes / codes);
    }

    private void write(RocksDB db, WriteOptions write, ColumnFamilyHandle states, ColumnFamilyHandle timers, List<CodeState> sealed,
            long codes) throws Exception {
        int prefixBytes = CompositeKeySerializationUtils.computeRequiredBytesInKeyGroupPrefix(maxParallelism);
        SerializedCompositeKeyBuilder<String> keys = new SerializedCompositeKeyBuilder<>(StringSerializer.INSTANCE, prefixBytes, 64);
        TimerSerializer<String, VoidNamespace> timerSerializer = new TimerSerializer<>(StringSerializer.INSTANCE, VoidNamespaceSerializer.INSTANCE);
        DataOutputSerializer value = new DataOutputSerializer(512);
        DataOutputSerializer timer = new DataOutputSerializer(64);
        SplittableRandom random = new SplittableRandom(25);
        WriteBatch batch = new WriteBatch();
        try {
            for (long i = 0; i < codes; i++) {
                CodeState state = freshCopy(sealed.get((int) (i % sealed.size())), i, random);
                String code = state.getSeal().getKept().isEmpty() ? code(i) : state.getSeal().getKept().get(0).getCode();
                int keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(code, maxParallelism);
                keys.setKeyAndKeyGroup(code, keyGroup);
                value.clear();
                CodeStateSerializer.INSTANCE.serialize(state, value);
                batch.put(states, keys.buildCompositeKeyNamespace(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE), value.getCopyOfBuffer());
                timer.clear();
                CompositeKeySerializationUtils.writeKeyGroup(keyGroup, prefixBytes, timer);
                timerSerializer.serialize(new TimerHeapInternalTimer<>(state.getCleanupTimer(), code, VoidNamespace.INSTANCE), timer);
                batch.put(timers, timer.getCopyOfBuffer(), new byte[0]);
                if (batch.count() >= BATCH) {
                    db.write(write, batch);
                    batch.clear();
                }
                if (i > 0 && i % 10_000_000 == 0) {
                    log.printf("  ... %,d codes%n", i);
                }
            }
            db.write(write, batch);
        } finally {
            batch.close();
        }
    }

    /**
     * A copy of {@code template} with fresh unique values: code ({@link #code}{@code (index)}),
     * event ids, transactions, fingerprints, and a time shifted by up to a year.
     */
    static CodeState freshCopy(CodeState template, long index, SplittableRandom random) {
        CodeState state = CodeState.newBuilder(template).build();
        SealedHistory seal = state.getSeal();
        String code = code(index);
        long shiftSeconds = random.nextLong(Duration.ofDays(365).toSeconds());
        Map<String, String> ids = new HashMap<>();
        Map<String, String> transactions = new HashMap<>();
        for (ScanEvent event : seal.getKept()) {
            event.setCode(code);
            event.setEventId(ids.computeIfAbsent(event.getEventId(), id -> hex32(random)));
            event.setEventTime(event.getEventTime().plusSeconds(shiftSeconds));
            if (event.getTransactionId() != null) {
                event.setTransactionId(transactions.computeIfAbsent(event.getTransactionId(), t -> transaction(random)));
            }
        }
        seal.getKeptContents().replaceAll(content -> random.nextLong());
        seal.getOthers().replaceAll(other -> new SealedEvent(random.nextLong() >>> 24, random.nextLong() & 0xffffffL));
        seal.getRaised().replaceAll(alert -> new RaisedAlert(alert.getRule(), ids.computeIfAbsent(alert.getTriggerEventId(), id -> hex32(random)), 0L));
        for (SealedConsumption consumption : seal.getPack().getConsumptions()) {
            if (consumption.getTransactionId() != null) {
                consumption.setTransactionId(transactions.computeIfAbsent(consumption.getTransactionId(), t -> transaction(random)));
            }
        }
        seal.setNewest(seal.getNewest() + shiftSeconds * 1_000_000L);
        if (state.getJudgedThrough() > 0) {
            state.setJudgedThrough(state.getJudgedThrough() + shiftSeconds * 1_000_000L);
        }
        state.setCleanupTimer(seal.getNewest() / 1000 + RETENTION_MS);
        state.setRetainUntil(state.getCleanupTimer());
        return state;
    }

    /** A 20-digit code: a product's prefix and a serial number, as packs of one product are numbered. */
    static String code(long index) {
        // 69: a prefix the generator's codes never have, so that they and these never collide
        return String.format("69%06d%012d", index % 4000, index);
    }

    static String hex32(SplittableRandom random) {
        return String.format("%016x%016x", random.nextLong(), random.nextLong());
    }

    static String transaction(SplittableRandom random) {
        return String.format("TX%018d", random.nextLong(1_000_000_000_000_000_000L));
    }
}
