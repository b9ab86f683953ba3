package io.tracewatch.io.kafka;

import io.tracewatch.settings.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Kafka client settings that do not belong in the repository (SASL, TLS and the like): read from a
 * properties file named by {@code kafka.client_properties_file} or {@code TRACEWATCH_KAFKA_PROPERTIES_FILE},
 * then from {@code TRACEWATCH_KAFKA_<PROPERTY>} environment variables, e.g.
 * {@code TRACEWATCH_KAFKA_SASL_JAAS_CONFIG} for {@code sasl.jaas.config}. Values are never logged.
 */
public final class KafkaClientProperties {
    static final String FILE_VARIABLE = "TRACEWATCH_KAFKA_PROPERTIES_FILE";
    private static final String PREFIX = "TRACEWATCH_KAFKA_";

    private KafkaClientProperties() {}

    public static Properties load(KafkaSettings settings) {
        return load(settings, System.getenv());
    }

    static Properties load(KafkaSettings settings, Map<String, String> environment) {
        Properties properties = new Properties();
        String file = settings.clientPropertiesFile();
        if (file == null || file.isBlank()) {
            file = environment.get(FILE_VARIABLE);
        }
        if (file != null && !file.isBlank()) {
            Path path = Paths.get(file);
            try (Reader reader = Files.newBufferedReader(path)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new ConfigException("cannot read Kafka client properties file " + path + ": " + e.getMessage());
            }
        }
        environment.forEach((name, value) -> {
            if (name.startsWith(PREFIX) && !name.equals(FILE_VARIABLE)) {
                properties.setProperty(name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        properties.setProperty("bootstrap.servers", settings.bootstrapServers());
        return properties;
    }
}
