package io.tracewatch.generate;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A recall list (召回) for the generated world, as JSON Lines recall records (lifecycle.md): for
 * each product, one batch recalled before the traffic starts, one recalled and lifted again before
 * it, and one whose recall starts long after it. Only the packs of those batches, which the recall
 * scenarios draw, are concerned.
 */
public final class Recalls {
    private static final Duration BEFORE = Duration.ofDays(30);
    private static final Duration LIFTED_BEFORE = Duration.ofDays(1);
    private static final Duration LONG_AFTER = Duration.ofDays(3650);

    private Recalls() {}

    public static List<String> of(long seed, Instant trafficStart) {
        World world = new World(new java.util.Random(seed));
        List<String> records = new ArrayList<>();
        int level = 1;
        for (World.Product product : world.products) {
            String id = "RC-" + product.code();
            records.add(record(id + "-1", trafficStart.minus(BEFORE), product.code(), recalledBatch(product), level, "ACTIVE"));
            records.add(record(id + "-2", trafficStart.minus(BEFORE), product.code(), liftedBatch(product), 2, "ACTIVE"));
            records.add(record(id + "-2", trafficStart.minus(LIFTED_BEFORE), product.code(), liftedBatch(product), 2, "LIFTED"));
            records.add(record(id + "-3", trafficStart.plus(LONG_AFTER), product.code(), laterBatch(product), 3, "ACTIVE"));
            level = level % 3 + 1;
        }
        return records;
    }

    /** A batch under recall throughout the traffic. */
    static String recalledBatch(World.Product product) {
        return product.batch() + "-R1";
    }

    /** A batch whose recall was lifted before the traffic starts. */
    static String liftedBatch(World.Product product) {
        return product.batch() + "-R2";
    }

    /** A batch whose recall starts long after the traffic. */
    static String laterBatch(World.Product product) {
        return product.batch() + "-R3";
    }

    private static String record(String recallId, Instant versionTime, String product, String batch, int level, String status) {
        return String.format(Locale.ROOT,
                "{\"recall_id\":\"%s\",\"version_time\":\"%s\",\"product_code\":\"%s\",\"batches\":[\"%s\"],\"level\":%d,"
                        + "\"status\":\"%s\",\"issued_by\":\"Tianjin MPA\"}",
                recallId, versionTime.atOffset(ZoneOffset.ofHours(8)), product, batch, level, status);
    }
}
