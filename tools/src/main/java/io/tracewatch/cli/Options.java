package io.tracewatch.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The options a subcommand takes, declared once: they become its picocli command, which parses the
 * arguments and prints the usage, so the two never disagree. Options are {@code --name value} or
 * {@code --name=value}; flags take no value.
 */
public final class Options {
    private final String command;
    private final String summary;
    private final List<OptionSpec> options = new ArrayList<>();

    public Options(String command, String summary) {
        this.command = command;
        this.summary = summary;
    }

    public Options value(String name, String valueName, String help) {
        options.add(OptionSpec.builder("--" + name).paramLabel(valueName).type(String.class).description(help).build());
        return this;
    }

    public Options repeatable(String name, String valueName, String help) {
        options.add(OptionSpec.builder("--" + name).paramLabel(valueName).type(List.class).auxiliaryTypes(String.class)
                .description(help + " (repeatable)").build());
        return this;
    }

    public Options flag(String name, String help) {
        options.add(OptionSpec.builder("--" + name).arity("0").type(boolean.class).description(help).build());
        return this;
    }

    /** The picocli command that parses these options and runs {@code runner}. */
    CommandSpec spec(Command runner) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(runner).name(command).mixinStandardHelpOptions(true);
        spec.usageMessage().description(summary).sortOptions(false);
        options.forEach(spec::addOption);
        return spec;
    }

    /** Parsed arguments of one command. */
    public static final class Parsed {
        private final Map<String, List<String>> values;

        Parsed(Map<String, List<String>> values) {
            this.values = values;
        }

        /** The options given to one subcommand, by name without the leading dashes. */
        static Parsed of(ParseResult result) {
            Map<String, List<String>> values = new LinkedHashMap<>();
            for (OptionSpec option : result.matchedOptions()) {
                if (option.usageHelp() || option.versionHelp()) {
                    continue;
                }
                String name = option.longestName().substring(2);
                values.put(name, option.arity().max() == 0 ? List.of("true") : new ArrayList<>(option.stringValues()));
            }
            return new Parsed(values);
        }

        public boolean has(String name) {
            return values.containsKey(name);
        }

        public String get(String name, String fallback) {
            List<String> list = values.get(name);
            return list == null ? fallback : list.get(0);
        }

        public String required(String name) {
            String value = get(name, null);
            if (value == null) {
                throw new UsageException("--" + name + " is required");
            }
            return value;
        }

        public List<String> all(String name) {
            return values.getOrDefault(name, List.of());
        }

        public int positiveInt(String name, int fallback) {
            String text = get(name, null);
            if (text == null) {
                return fallback;
            }
            try {
                int value = Integer.parseInt(text);
                if (value >= 1) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new UsageException("--" + name + " must be a positive whole number, got '" + text + "'");
        }

        /** A TCP port, 0 to 65535 (0: any free one). */
        public int port(String name) {
            String text = get(name, null);
            try {
                int value = Integer.parseInt(text);
                if (value >= 0 && value <= 65535) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new UsageException("--" + name + " must be a port from 0 to 65535, got '" + text + "'");
        }

        public long wholeNumber(String name, long fallback) {
            String text = get(name, null);
            if (text == null) {
                return fallback;
            }
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + " must be a whole number, got '" + text + "'");
            }
        }

        /** A share from 0 to 1, e.g. a rate of anomalies. */
        public double share(String name, double fallback) {
            String text = get(name, null);
            if (text == null) {
                return fallback;
            }
            try {
                double value = Double.parseDouble(text);
                if (value >= 0 && value <= 1) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new UsageException("--" + name + " must be a number from 0 to 1, got '" + text + "'");
        }

        public <E extends Enum<E>> E choice(String name, Class<E> type, E fallback) {
            String text = get(name, null);
            if (text == null) {
                return fallback;
            }
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(text)) {
                    return constant;
                }
            }
            throw new UsageException("--" + name + " must be one of "
                    + java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase()).toList()
                    + ", got '" + text + "'");
        }
    }
}
