package io.tracewatch.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tracewatch.settings.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Loads settings from YAML: the defaults shipped in the jar (the project's
 * {@code config/default.yaml}), then an optional file merged over them, then {@code key=value}
 * overrides from the command line, bound to a record of sections. Unknown keys and wrong types are
 * errors that name the key. It knows no section: each package's settings record says what its
 * section holds and checks its values.
 */
public final class ConfigLoader {
    private static final String DEFAULTS = "/io/tracewatch/config/default.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            // 1.5 for a count is a mistake to report, not a number to round
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS);

    private ConfigLoader() {}

    /**
     * @param type the record the settings bind to, its components the file's sections
     * @param file a YAML file merged over the defaults, or null
     * @param overrides {@code section.key=value} settings applied last
     */
    public static <T> T load(Class<T> type, Path file, List<String> overrides) {
        ObjectNode tree = readDefaults();
        if (file != null) {
            merge(tree, readFile(file));
        }
        for (String override : overrides) {
            applyOverride(tree, override);
        }
        return bind(tree, type);
    }

    private static ObjectNode readDefaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException("default configuration missing from the classpath: " + DEFAULTS);
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("default configuration unreadable", e);
        }
    }

    private static ObjectNode readFile(Path file) {
        try {
            JsonNode node = YAML.readTree(Files.readAllBytes(file));
            if (node == null || node.isMissingNode() || node.isNull()) {
                return YAML.createObjectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException(file + ": expected a YAML mapping of sections");
            }
            return (ObjectNode) node;
        } catch (NoSuchFileException e) {
            throw new ConfigException("configuration file not found: " + file);
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": not valid YAML" + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr()) + ": " + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
        }
    }

    private static void merge(ObjectNode target, ObjectNode source) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = target.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue() instanceof ObjectNode sourceObject) {
                merge(existingObject, sourceObject);
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }

    private static void applyOverride(ObjectNode tree, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("--set expects section.key=value, got '" + override + "'");
        }
        String path = override.substring(0, eq).trim();
        String text = override.substring(eq + 1);
        String[] keys = path.split("\\.");
        ObjectNode parent = tree;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode child = parent.get(keys[i]);
            if (!(child instanceof ObjectNode childObject)) {
                throw new ConfigException("unknown setting " + path);
            }
            parent = childObject;
        }
        String leaf = keys[keys.length - 1];
        if (!parent.has(leaf)) {
            throw new ConfigException("unknown setting " + path + " (known here: "
                    + String.join(", ", (Iterable<String>) parent::fieldNames) + ")");
        }
        try {
            JsonNode value = YAML.readTree(text.isEmpty() ? "''" : text);
            parent.set(leaf, value == null || value.isMissingNode() ? YAML.getNodeFactory().nullNode() : value);
        } catch (JsonProcessingException e) {
            throw new ConfigException("--set " + path + ": cannot read value '" + text + "'");
        }
    }

    private static <T> T bind(ObjectNode tree, Class<T> type) {
        try {
            return YAML.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException("unknown setting " + path(e) + " (known here: "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")");
        } catch (InvalidFormatException e) {
            throw new ConfigException("setting " + path(e) + ": '" + e.getValue() + "' is not " + expected(e.getTargetType()));
        } catch (MismatchedInputException e) {
            throw new ConfigException("setting " + path(e) + ": expected " + expected(e.getTargetType()));
        } catch (JsonProcessingException e) {
            throw new ConfigException("invalid configuration: " + oneLine(e.getOriginalMessage()));
        }
    }

    /** What a setting takes, in the words of the YAML file rather than of the Java type behind it. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "a valid value";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a text value";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name().toLowerCase(java.util.Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a mapping of names to values";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a section (a mapping of settings)";
    }

    /** A parser's message on one line: SnakeYAML's spans several, with the source line drawn under a caret. */
    private static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        return java.util.Arrays.stream(message.split("\\R"))
                .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .collect(Collectors.joining("; "));
    }

    private static String path(MismatchedInputException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
