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
 * (RFC 4180 quoting). Empty cells are absent fields; lat and lon are numbers.
 */
public final class PartyCsv {
    private static final Set<String> NUMBERS = Set.of("lat", "lon");

    private PartyCsv() {}

    public static List<ReferenceRecord> read(Path file) {
        List<ReferenceRecord> records = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return records;
            }
            List<String> header = cells(lines.get(0).replace("\uFEFF", ""));
            for (int i = 1; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                List<String> cells = cells(lines.get(i));
                ObjectNode record = JsonNodeFactory.instance.objectNode();
                for (int c = 0; c < header.size() && c < cells.size(); c++) {
                    String name = header.get(c).trim();
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
