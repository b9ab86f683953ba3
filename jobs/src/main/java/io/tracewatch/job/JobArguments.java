package io.tracewatch.job;

import io.tracewatch.settings.ConfigException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The job jar's program arguments, {@code [--config FILE] [--set KEY=VALUE]...}: the same
 * options as the command line's {@code run}, read without a command-line library, so that the jar
 * a cluster loads holds the pipeline and nothing else.
 */
public final class JobArguments {
    private JobArguments() {}

    public static TracewatchConfig load(String[] args) {
        String file = null;
        List<String> settings = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value = null;
            int eq = name.indexOf('=');
            if (name.startsWith("--") && eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[i + 1];
            }
            if (!name.equals("--config") && !name.equals("--set")) {
                throw new ConfigException("unexpected argument '" + args[i] + "'; the job takes [--config FILE] [--set KEY=VALUE]...");
            }
            if (value == null) {
                throw new ConfigException(name + " needs a value");
            }
            if (eq < 0 || !args[i].startsWith("--")) {
                i++;
            }
            if (name.equals("--config")) {
                if (file != null) {
                    throw new ConfigException("--config given more than once");
                }
                file = value;
            } else {
                settings.add(value);
            }
        }
        return TracewatchConfig.load(file == null ? null : Paths.get(file), settings);
    }
}
