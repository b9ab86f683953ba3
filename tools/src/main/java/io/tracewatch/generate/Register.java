package io.tracewatch.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A party register (一企一档) for the generated world, as JSON Lines party records: most parties
 * licensed throughout; a few suspended, revoked or with a licence ending during the traffic; the
 * distant cities' pharmacies not registered at all; one registered in another district than its
 * scanners say. The same seed gives the same register as the world of the same seed.
 */
public final class Register {
    private static final String SINCE = "2020-01-01T00:00:00+08:00";

    private Register() {}

    public static List<String> of(long seed, java.time.Instant trafficStart) {
        World world = new World(new Random(seed));
        Random random = new Random(seed ^ 0x5eed);
        List<String> records = new ArrayList<>();
        List<Party> registered = new ArrayList<>();
        registered.addAll(world.manufacturers);
        registered.addAll(world.distributors);
        registered.addAll(world.pharmacies);
        registered.addAll(world.hospitals);
        java.time.LocalDate start = trafficStart.atOffset(java.time.ZoneOffset.ofHours(8)).toLocalDate();
        for (int i = 0; i < registered.size(); i++) {
            Party party = registered.get(i);
            String region = party.region();
            if (i == registered.size() - 1) {
                // its scanners give another district: the register's region is the one alerts carry
                region = party.region().equals("120101") ? "120102" : "120101";
            }
            String licenceTo = "2030-12-31";
            if (party.id().startsWith("PH") && random.nextInt(20) == 0) {
                licenceTo = start.plusDays(2 + random.nextInt(5)).toString();
            }
            records.add(record(party, SINCE, region, "ACTIVE", licenceTo));
            if (party.id().startsWith("PH") && random.nextInt(25) == 0) {
                String from = start.plusDays(3 + random.nextInt(5)) + "T00:00:00+08:00";
                records.add(record(party, from, region, random.nextBoolean() ? "SUSPENDED" : "REVOKED", licenceTo));
            }
        }
        return records;
    }

    private static String record(Party party, String versionTime, String region, String status, String licenceTo) {
        return String.format(Locale.ROOT,
                "{\"party_id\":\"%s\",\"version_time\":\"%s\",\"party_type\":\"%s\",\"region\":\"%s\",\"name\":\"%s\","
                        + "\"lat\":%s,\"lon\":%s,\"status\":\"%s\",\"licence_no\":\"LIC-%s\",\"licence_valid_from\":\"2020-01-01\","
                        + "\"licence_valid_to\":\"%s\"}",
                party.id(), versionTime, party.type(), region, party.type().name().charAt(0) + party.type().name().substring(1).toLowerCase()
                        + " " + party.id().substring(party.id().length() - 4), party.lat(), party.lon(), status, party.id(), licenceTo);
    }
}
