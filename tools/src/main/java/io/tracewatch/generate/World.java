package io.tracewatch.generate;

import io.tracewatch.model.PartyType;
import io.tracewatch.rules.GreatCircle;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The parties and products traffic is generated for: manufacturers, distributors, pharmacies and
 * hospitals across Tianjin's districts, and a few pharmacies in distant cities.
 */
final class World {
    /** Tianjin district codes with an approximate centre. */
    private static final Object[][] TIANJIN = {
        {"120101", 39.117, 117.210}, {"120102", 39.123, 117.258}, {"120103", 39.092, 117.226},
        {"120104", 39.128, 117.150}, {"120105", 39.160, 117.198}, {"120106", 39.170, 117.160},
        {"120110", 39.087, 117.312}, {"120111", 39.139, 117.014}, {"120112", 38.990, 117.380},
        {"120113", 39.224, 117.137}, {"120116", 39.003, 117.710},
    };
    private static final Object[][] FAR_CITIES = {
        {"440104", 23.129, 113.264}, {"650102", 43.793, 87.628}, {"310101", 31.230, 121.474}, {"510104", 30.657, 104.066},
    };

    /** A product: the first 7 digits of its codes, and units per pack (null: indivisible). */
    record Product(String code, Integer packSize, String batch, String expiry) {}

    final List<Party> manufacturers = new ArrayList<>();
    final List<Party> distributors = new ArrayList<>();
    final List<Party> pharmacies = new ArrayList<>();
    final List<Party> hospitals = new ArrayList<>();
    final List<Party> farPharmacies = new ArrayList<>();
    final List<Product> products = List.of(
            new Product("8612345", 24, "AMX2602", "2028-01-31"),
            new Product("8645208", 28, "ETV2601", "2028-06-30"),
            new Product("8630112", 30, "MET2603", "2028-09-30"),
            new Product("8677015", 10, "INS2509", "2027-08-31"),
            new Product("8603391", null, "INS2511", "2027-11-30"),
            new Product("8621876", null, "HEP2604", "2028-03-31"));

    World(Random random) {
        manufacturers.add(party("MF", PartyType.MANUFACTURER, TIANJIN[9], 1, random));
        manufacturers.add(party("MF", PartyType.MANUFACTURER, TIANJIN[8], 2, random));
        for (int i = 0; i < 6; i++) {
            distributors.add(party("DS", PartyType.DISTRIBUTOR, TIANJIN[i * 2 % TIANJIN.length], i + 1, random));
        }
        for (int i = 0; i < 60; i++) {
            pharmacies.add(party("PH", PartyType.PHARMACY, TIANJIN[i % TIANJIN.length], i + 1, random));
        }
        for (int i = 0; i < 10; i++) {
            hospitals.add(party("HOS", PartyType.HOSPITAL, TIANJIN[i % TIANJIN.length], i + 1, random));
        }
        for (int i = 0; i < FAR_CITIES.length; i++) {
            farPharmacies.add(party("PH", PartyType.PHARMACY, FAR_CITIES[i], i + 1, random));
        }
    }

    private static Party party(String prefix, PartyType type, Object[] district, int number, Random random) {
        String region = (String) district[0];
        double lat = round((double) district[1] + (random.nextDouble() - 0.5) * 0.04);
        double lon = round((double) district[2] + (random.nextDouble() - 0.5) * 0.04);
        return new Party(String.format("%s-%s-%04d", prefix, region, number), type, region, lat, lon);
    }

    private static double round(double degrees) {
        return Math.round(degrees * 1000) / 1000.0;
    }

    /** The parties of {@code candidates} within {@code km} of {@code site}. */
    List<Party> near(Party site, List<Party> candidates, double km) {
        return candidates.stream()
                .filter(p -> GreatCircle.distanceKm(site.lat(), site.lon(), p.lat(), p.lon()) <= km)
                .toList();
    }

    static <T> T pick(List<T> list, Random random) {
        return list.get(random.nextInt(list.size()));
    }

    /** Another element of the list than {@code not}. */
    static <T> T pickOther(List<T> list, T not, Random random) {
        T other;
        do {
            other = pick(list, random);
        } while (other.equals(not));
        return other;
    }
}
