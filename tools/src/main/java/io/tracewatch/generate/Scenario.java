package io.tracewatch.generate;

import static io.tracewatch.model.EventType.DISPENSE;
import static io.tracewatch.model.EventType.SELL;

import io.tracewatch.model.ScanEvent;
import io.tracewatch.rules.DuplicateCause;
import io.tracewatch.rules.RuleId;
import java.util.Random;

/**
 * The kinds of pack lifecycle the generator draws from: legitimate ones, including the look-alikes
 * that must not alert, and anomalies of each rule with the alerts they must raise.
 */
enum Scenario {
    RETAIL_SALE(false) {
        @Override
        void play(Lifecycle life, World world, Random random) {
            Party pharmacy = supplyChain(life, world, random, true, true);
            String txn = txn(life, pharmacy);
            life.consume(SELL, pharmacy, life.after(hours(random, 2, 240)), null, txn, patient(random));
            if (random.nextBoolean()) {
                life.settle(pharmacy, life.after(60), null, txn);
            }
        }
    },
    SPLIT_SALES_WITHIN_PACK(false) {
        @Override
        void play(Lifecycle life, World world, Random random) {
            Party pharmacy = supplyChain(life, world, random, true, true);
            int left = packSize(life);
            while (left > 0) {
                int quantity = 1 + random.nextInt(Math.max(1, left / 2));
                life.consume(SELL, pharmacy, life.after(hours(random, 1, 72)), quantity, txn(life, pharmacy), null);
                left -= quantity;
                if (random.nextInt(3) == 0) {
                    break;
                }
            }
        }
    },
    HOSPITAL_DISPENSE_AND_SETTLE(false) {
        @Override
        void play(Lifecycle life, World world, Random random) {
            Party hospital = supplyChainTo(life, world, random, World.pick(world.hospitals, random), true, true);
            String rx = txn(life, hospital);
            life.consume(DISPENSE, hospital, life.after(hours(random, 2, 240)), null, rx, patient(random));
            life.settle(hospital, life.after(120), null, rx);
        }
    },
    REFUND_THEN_RESALE(false) {
        @Override
        void play(Lifecycle life, World world, Random random) {
            Party pharmacy = supplyChain(life, world, random, true, true);
            life.consume(SELL, pharmacy, life.after(hours(random, 2, 120)), null, txn(life, pharmacy), null);
            life.giveBack(pharmacy, null, life.after(hours(random, 1, 8)));
            life.consume(SELL, pharmacy, life.after(hours(random, 2, 120)), null, txn(life, pharmacy), null);
        }
    },
    RETURN_TO_DISTRIBUTOR_AND_RESHIP(false) {
        @Override
        void play(Lifecycle life, World world, Random random) {
            Party distributor = World.pick(world.distributors, random);
            Party first = World.pick(world.pharmacies, random);
            life.ship(distributor, first, life.after(0));
            life.receive(first, distributor, life.after(hours(random, 1, 4)));
            life.giveBack(first, distributor, life.after(hours(random, 24, 240)));
            Party second = World.pickOther(world.pharmacies, first, random);
            life.ship(distributor, second, life.after(hours(random, 12, 72)));
            life.receive(second, distributor, life.after(hours(random, 1, 4)));
            life.consume(SELL, second, life.after(hours(random, 2, 120)), null, txn(life, second), null);
        }
    },
    MISSING_RECEIVE_SCAN(false) {
        @Override
        void play(Lifecycle life, World world, Random random) {
            Party pharmacy = supplyChain(life, world, random, true, false);
            life.consume(SELL, pharmacy, life.after(hours(random, 2, 120)), null, txn(life, pharmacy), null);
        }
    },
    MISSING_SHIP_SCAN(false) {
        @Override
        void play(Lifecycle life, World world, Random random) {
            Party pharmacy = supplyChain(life, world, random, false, true);
            life.consume(SELL, pharmacy, life.after(hours(random, 2, 120)), null, txn(life, pharmacy), null);
        }
    },
    CLOCK_SKEWED_RECEIVE(false) {
        @Override
        void play(Lifecycle life, World world, Random random) {
            Party distributor = World.pick(world.distributors, random);
            // minutes apart, so the two sites must be within the location slack of each other
            Party pharmacy = World.pick(world.near(distributor, world.pharmacies, 30), random);
            long shipped = life.after(0);
            life.receive(pharmacy, distributor, shipped - 60 - random.nextInt(240));
            life.ship(distributor, pharmacy, shipped);
            life.consume(SELL, pharmacy, life.after(hours(random, 2, 120)), null, txn(life, pharmacy), null);
        }
    },
    SPLIT_SALES_EXCEED_PACK(true) {
        @Override
        void play(Lifecycle life, World world, Random random) {
            Party pharmacy = supplyChain(life, world, random, true, true);
            int size = packSize(life);
            life.consume(SELL, pharmacy, life.after(hours(random, 2, 72)), size - 3, txn(life, pharmacy), null);
            life.consume(SELL, pharmacy, life.after(hours(random, 2, 72)), 2, txn(life, pharmacy), null);
            ScanEvent beyond = life.consume(SELL, pharmacy, life.after(hours(random, 2, 72)), 2, txn(life, pharmacy), null);
            life.expectDuplicate(beyond, DuplicateCause.SAME_PARTY);
        }
    },
    CLONED_CODE_SOLD_TWICE(true) {
        @Override
        void play(Lifecycle life, World world, Random random) {
            Party genuine = supplyChain(life, world, random, true, true);
            life.consume(SELL, genuine, life.after(hours(random, 2, 72)), null, txn(life, genuine), null);
            Party clone = World.pickOther(world.pharmacies, genuine, random);
            ScanEvent cloned = life.consume(SELL, clone, life.after(hours(random, 1, 48)), null, txn(life, clone), null);
            life.expectDuplicate(cloned, DuplicateCause.CLONED_CODE);
            life.expect(RuleId.IMPOSSIBLE_ROUTE, cloned);
        }
    },
    RECEIVED_BY_WRONG_PARTY(true) {
        @Override
        void play(Lifecycle life, World world, Random random) {
            Party distributor = World.pick(world.distributors, random);
            Party consignee = World.pick(world.pharmacies, random);
            Party receiver = World.pickOther(world.pharmacies, consignee, random);
            life.ship(distributor, consignee, life.after(0));
            ScanEvent wrong = life.receive(receiver, distributor, life.after(hours(random, 1, 4)));
            life.expect(RuleId.IMPOSSIBLE_ROUTE, wrong);
            life.consume(SELL, receiver, life.after(hours(random, 2, 120)), null, txn(life, receiver), null);
        }
    },
    TOO_FAST_FOR_ROAD(true) {
        @Override
        void play(Lifecycle life, World world, Random random) {
            Party distributor = World.pick(world.distributors, random);
            Party far = World.pick(world.farPharmacies, random);
            life.ship(distributor, far, life.after(0));
            ScanEvent tooSoon = life.receive(far, distributor, life.after(hours(random, 1, 3)));
            life.expect(RuleId.IMPOSSIBLE_ROUTE, tooSoon);
            life.consume(SELL, far, life.after(hours(random, 2, 120)), null, txn(life, far), null);
        }
    },
    RESOLD_AFTER_INSURED_DISPENSING(true) {
        @Override
        void play(Lifecycle life, World world, Random random) {
            boolean hospital = random.nextBoolean();
            Party dispenser = hospital
                    ? supplyChainTo(life, world, random, World.pick(world.hospitals, random), true, true)
                    : supplyChain(life, world, random, true, true);
            String txn = txn(life, dispenser);
            life.consume(hospital ? DISPENSE : SELL, dispenser, life.after(hours(random, 2, 120)), null, txn, patient(random));
            life.settle(dispenser, life.after(60), null, txn);
            Party reseller = World.pickOther(world.pharmacies, dispenser, random);
            Party fence = World.pick(world.distributors, random);
            ScanEvent inbound = life.receive(reseller, fence, life.after(hours(random, 48, 480)));
            life.expect(RuleId.POST_DISPENSE_RESALE, inbound);
            life.expect(RuleId.IMPOSSIBLE_ROUTE, inbound);
            ScanEvent resold = life.consume(SELL, reseller, life.after(hours(random, 2, 120)), null, txn(life, reseller), null);
            life.expectDuplicate(resold, DuplicateCause.RESALE);
        }
    },
    DESTROYED_NEVER_SEEN_AGAIN(false) {
        @Override
        void play(Lifecycle life, World world, Random random) {
            Party pharmacy = supplyChain(life, world, random, true, true);
            life.destroy(pharmacy, life.after(hours(random, 24, 240)));
        }
    },
    SOLD_ON_EXPIRY_DAY(false) {
        @Override
        void play(Lifecycle life, World world, Random random) {
            Party pharmacy = supplyChain(life, world, random, true, true);
            long sale = life.after(hours(random, 2, 120));
            // usable through its expiry date, China Standard Time
            life.expiry(Lifecycle.chinaDate(sale));
            life.consume(SELL, pharmacy, sale, null, txn(life, pharmacy), null);
        }
    },
    DESTROYED_THEN_SOLD(true) {
        @Override
        void play(Lifecycle life, World world, Random random) {
            Party pharmacy = supplyChain(life, world, random, true, true);
            life.destroy(pharmacy, life.after(hours(random, 24, 240)));
            ScanEvent sold = life.consume(SELL, pharmacy, life.after(hours(random, 2, 72)), null, txn(life, pharmacy), null);
            life.expect(RuleId.DESTROYED_PACK, sold);
        }
    },
    EXPIRED_PACK_DISPENSED(true) {
        @Override
        void play(Lifecycle life, World world, Random random) {
            boolean hospital = random.nextBoolean();
            Party dispenser = hospital
                    ? supplyChainTo(life, world, random, World.pick(world.hospitals, random), true, true)
                    : supplyChain(life, world, random, true, true);
            long at = life.after(hours(random, 2, 240));
            life.expiry(Lifecycle.chinaDate(at).minusDays(1 + random.nextInt(60)));
            ScanEvent expired = life.consume(hospital ? DISPENSE : SELL, dispenser, at, null, txn(life, dispenser), patient(random));
            life.expect(RuleId.EXPIRED_PACK, expired);
        }
    },
    RECALLED_BATCH_SOLD(true, true) {
        @Override
        void play(Lifecycle life, World world, Random random) {
            life.batch(Recalls.recalledBatch(life.product));
            Party pharmacy = supplyChain(life, world, random, true, true);
            life.expect(RuleId.RECALLED_PACK, life.events.get(life.events.size() - 1));
            ScanEvent sold = life.consume(SELL, pharmacy, life.after(hours(random, 2, 120)), null, txn(life, pharmacy), null);
            life.expect(RuleId.RECALLED_PACK, sold);
        }
    },
    RECALL_LIFTED_BEFORE_SALE(false, true) {
        @Override
        void play(Lifecycle life, World world, Random random) {
            life.batch(Recalls.liftedBatch(life.product));
            Party pharmacy = supplyChain(life, world, random, true, true);
            life.consume(SELL, pharmacy, life.after(hours(random, 2, 120)), null, txn(life, pharmacy), null);
        }
    },
    RECALL_STARTING_AFTER_SALE(false, true) {
        @Override
        void play(Lifecycle life, World world, Random random) {
            life.batch(Recalls.laterBatch(life.product));
            Party pharmacy = supplyChain(life, world, random, true, true);
            life.consume(SELL, pharmacy, life.after(hours(random, 2, 120)), null, txn(life, pharmacy), null);
        }
    };

    final boolean anomaly;
    /** Whether the scenario is about the generated recall list ({@link Recalls}): drawn only with it. */
    final boolean recalls;

    Scenario(boolean anomaly) {
        this(anomaly, false);
    }

    Scenario(boolean anomaly, boolean recalls) {
        this.anomaly = anomaly;
        this.recalls = recalls;
    }

    abstract void play(Lifecycle life, World world, Random random);

    /** Whether the scenario needs a product sold by units. */
    boolean needsPackSize() {
        return this == SPLIT_SALES_WITHIN_PACK || this == SPLIT_SALES_EXCEED_PACK;
    }

    private static Party supplyChain(Lifecycle life, World world, Random random, boolean shipScan, boolean receiveScan) {
        return supplyChainTo(life, world, random, World.pick(world.pharmacies, random), shipScan, receiveScan);
    }

    /** Manufacturer → distributor → {@code destination}, every hop an hour or more apart. */
    private static Party supplyChainTo(
            Lifecycle life, World world, Random random, Party destination, boolean shipScan, boolean receiveScan) {
        Party manufacturer = World.pick(world.manufacturers, random);
        Party distributor = World.pick(world.distributors, random);
        life.commission(manufacturer);
        life.ship(manufacturer, distributor, life.after(3600));
        life.receive(distributor, manufacturer, life.after(hours(random, 2, 8)));
        long shipped = life.after(hours(random, 12, 96));
        if (shipScan) {
            life.ship(distributor, destination, shipped);
        }
        if (receiveScan) {
            life.receive(destination, distributor, life.after(hours(random, 1, 4)));
        }
        return destination;
    }

    private static long hours(Random random, int min, int max) {
        return (min * 3600L) + (long) (random.nextDouble() * (max - min) * 3600L);
    }

    private static int packSize(Lifecycle life) {
        return life.product.packSize();
    }

    private static String txn(Lifecycle life, Party party) {
        return "TX-" + party.id().substring(party.id().length() - 4) + "-" + life.code.substring(7) + "-" + life.events.size();
    }

    private static String patient(Random random) {
        return String.format("pt-%08x", random.nextInt());
    }
}
