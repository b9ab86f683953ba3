package io.tracewatch.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options a subcommand takes, which both parse its arguments and print its usage, so the two
 * never disagree. Options are {@code --name value} or {@code --name=value}; flags take no value.
 */
public final class Options {
    private record Option(String name, String valueName, boolean repeatable, String help) {}

    private final String command;
    private final String summary;
    private final Map<String, Option> options = new LinkedHashMap<>();

    public Options(String command, String summary) {
        this.command = command;
        this.summary = summary;
        flag("help", "print this help");
    }

    public Options value(String name, String valueName, String help) {
        options.put(name, new Option(name, valueName, false, help));
        return this;
    }

    public Options repeatable(String name, String valueName, String help) {
        options.put(name, new Option(name, valueName, true, help));
        return this;
    }

    public Options flag(String name, String help) {
        options.put(name, new Option(name, null, false, help));
        return this;
    }

    public String usage() {
        StringBuilder text = new StringBuilder("usage: tracewatch ").append(command).append(" [options]\n")
                .append(summary).append("\n\noptions:\n");
        for (Option option : options.values()) {
            String left = "  --" + option.name() + (option.valueName() == null ? "" : " " + option.valueName());
            text.append(String.format("%-30s %s%s%n", left, option.help(), option.repeatable() ? " (repeatable)" : ""));
        }
        return text.toString();
    }

    public Parsed parse(String[] args) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Option option = options.get(name);
            if (option == null) {
                throw new UsageException("unknown option --" + name);
            }
            String value;
            if (option.valueName() == null) {
                if (inline != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                value = "true";
            } else if (inline != null) {
                value = inline;
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new UsageException("--" + name + " needs a value " + option.valueName());
            }
            List<String> list = values.computeIfAbsent(name, k -> new ArrayList<>());
            if (!list.isEmpty() && !option.repeatable()) {
                throw new UsageException("--" + name + " given more than once");
            }
            list.add(value);
        }
        return new Parsed(values);
    }

    /** Parsed arguments of one command. */
    public static final class Parsed {
        private final Map<String, List<String>> values;

        Parsed(Map<String, List<String>> values) {
            this.values = values;
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
