package io.tracewatch.io.codec;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracewatch.model.internal.ReferenceRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A register as CSV: a header row naming the party record's fields, then one version per row
 * (RFC 4180 quoting). Empty cells are absent fields; lat and lon are numbers. A header that names a
 * column the record does not have, or leaves out a required one, is refused whole: a misspelt
 * licence_valid_to would otherwise open every licence.
 */
public final class PartyCsv {
    private static final Set<String> NUMBERS = Set.of("lat", "lon");
    /** The party record's fields (contract reference-data.md), required first. */
    private static final List<String> REQUIRED = List.of("party_id", "version_time", "party_type", "region", "status");
    private static final List<String> OPTIONAL = List.of("name", "lat", "lon", "licence_no", "licence_valid_from", "licence_valid_to");

    private PartyCsv() {}

    /** @throws IllegalArgumentException when the header names an unknown column, or lacks a required one */
    public static List<ReferenceRecord> read(Path file) {
        List<ReferenceRecord> records = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return records;
            }
            List<String> header = cells(lines.get(0).replace("\uFEFF", "")).stream().map(String::trim).toList();
            checkHeader(header);
            for (int i = 1; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                List<String> cells = cells(lines.get(i));
                ObjectNode record = JsonNodeFactory.instance.objectNode();
                for (int c = 0; c < header.size() && c < cells.size(); c++) {
                    String name = header.get(c);
                    String value = cells.get(c);
                    if (value.isEmpty()) {
                        continue;
                    }
                    if (NUMBERS.contains(name)) {
                        try {
                            record.put(name, Double.parseDouble(value));
                        } catch (NumberFormatException e) {
                            record.put(name, value);
                        }
                    } else {
                        record.put(name, value);
                    }
                }
                records.add(ReferenceJson.decode(ReferenceJson.Kind.PARTY, record.toString().getBytes(StandardCharsets.UTF_8),
                        new DeadLetters.Origin(file.toString(), i + 1, null)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return records;
    }

    private static void checkHeader(List<String> header) {
        List<String> unknown = header.stream().filter(name -> !REQUIRED.contains(name) && !OPTIONAL.contains(name)).toList();
        List<String> missing = REQUIRED.stream().filter(name -> !header.contains(name)).toList();
        if (unknown.isEmpty() && missing.isEmpty()) {
            return;
        }
        StringBuilder problem = new StringBuilder("the CSV header");
        if (!unknown.isEmpty()) {
            problem.append(" names ").append(unknown.size() == 1 ? "an unknown column: " : "unknown columns: ").append(quoted(unknown));
        }
        if (!missing.isEmpty()) {
            problem.append(unknown.isEmpty() ? "" : ", and").append(" lacks ").append(quoted(missing));
        }
        problem.append(" (the columns are ").append(String.join(", ", REQUIRED)).append(", and optionally ").append(String.join(", ", OPTIONAL))
                .append("; in lower case)");
        throw new IllegalArgumentException(problem.toString());
    }

    private static String quoted(List<String> names) {
        return String.join(", ", names.stream().map(name -> "'" + ScanChecks.quote(name) + "'").toList());
    }

    /** The cells of one CSV row: commas separate, double quotes quote, "" is a quote. */
    public static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < row.length(); i++) {
            char c = row.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < row.length() && row.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else if (c != '\r') {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
