package io.tracewatch.cli;

import io.tracewatch.job.TracewatchConfig;
import java.nio.file.Paths;

/** The configuration options every command that runs the pipeline shares. */
final class ConfigOptions {
    private ConfigOptions() {}

    static Options add(Options options) {
        return options
                .value("config", "FILE", "YAML merged over the default configuration (config/default.yaml)")
                .repeatable("set", "KEY=VALUE", "override one setting, e.g. detection.max_speed_kmh=200");
    }

    static TracewatchConfig load(Options.Parsed args) {
        return load(args, args.all("set"));
    }

    /** Loads with {@code settings} in place of the --set ones (a command may add its own first). */
    static TracewatchConfig load(Options.Parsed args, java.util.List<String> settings) {
        String file = args.get("config", null);
        return TracewatchConfig.load(file == null ? null : Paths.get(file), settings);
    }
}
