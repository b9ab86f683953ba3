package io.tracewatch.cli;

import java.util.Locale;
import java.util.Map;

/**
 * The language alerts are explained in on the terminal: Chinese ({@code explanation_zh}) for a
 * terminal whose locale is Chinese ({@code LANG=zh_CN.*}) or with {@code --lang zh}, English
 * otherwise. Help and errors stay in English.
 */
enum Language {
    EN, ZH;

    static final String OPTION_HELP = "language of alert explanations: en or zh (default: zh when LANG or LC_ALL is zh_*, else en)";

    /** From {@code --lang} when given, else the terminal's locale variables. */
    static Language of(String option, Map<String, String> environment) {
        if (option != null) {
            return switch (option.trim().toLowerCase(Locale.ROOT)) {
                case "en" -> EN;
                case "zh", "zh-cn", "zh_cn" -> ZH;
                default -> throw new UsageException("--lang must be en or zh, got '" + option + "'");
            };
        }
        for (String variable : new String[] {"LC_ALL", "LC_MESSAGES", "LANG"}) {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                return value.toLowerCase(Locale.ROOT).startsWith("zh") ? ZH : EN;
            }
        }
        return EN;
    }
}
