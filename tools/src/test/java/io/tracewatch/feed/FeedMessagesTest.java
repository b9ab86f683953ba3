package io.tracewatch.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page's two message files: the same keys, every key the page uses in both, Chinese in the Chinese one. */
class FeedMessagesTest {
    private static final String WEB = "/io/tracewatch/feed/web/";

    private static String read(String name) throws Exception {
        try (InputStream in = FeedMessagesTest.class.getResourceAsStream(WEB + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode messages(String language) throws Exception {
        return new ObjectMapper().readTree(read("i18n/" + language + ".json"));
    }

    private static Set<String> keys(JsonNode messages) {
        Set<String> keys = new TreeSet<>();
        messages.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void bothLanguagesHaveEveryKeyThePageUses() throws Exception {
        JsonNode en = messages("en");
        JsonNode zh = messages("zh-CN");
        assertThat(keys(zh)).as("keys of zh-CN.json against en.json").isEqualTo(keys(en));

        Set<String> used = new TreeSet<>();
        Matcher html = Pattern.compile("data-i18n(?:-placeholder|-title)?=\"([^\"]+)\"").matcher(read("index.html"));
        while (html.find()) {
            used.add(html.group(1));
        }
        Matcher js = Pattern.compile("\\bt\\('([A-Za-z.]+[A-Za-z])'").matcher(read("app.js"));
        while (js.find()) {
            used.add(js.group(1));
        }
        assertThat(used).hasSizeGreaterThan(50);
        assertThat(keys(en)).as("keys the page uses").containsAll(used);
    }

    @Test
    void theChineseMessagesAreChineseAndTheEnglishOnesAreNot() throws Exception {
        JsonNode en = messages("en");
        JsonNode zh = messages("zh-CN");
        Pattern han = Pattern.compile("[\\p{IsHan}\\p{InCJK_Symbols_and_Punctuation}\\p{InHalfwidth_and_Fullwidth_Forms}]");
        for (String key : keys(en)) {
            if (key.equals("language.other") || key.equals("chart.hour")) {
                continue;
            }
            assertThat(en.get(key).asText()).as("en " + key).isNotBlank().doesNotMatch("(?s).*\\p{IsHan}.*");
            assertThat(han.matcher(zh.get(key).asText()).find()).as("zh-CN " + key + ": " + zh.get(key).asText()).isTrue();
        }
        assertThat(zh.get("status.OPEN").asText()).isEqualTo("待处理");
        assertThat(zh.get("status.INVESTIGATING").asText()).isEqualTo("调查中");
        assertThat(zh.get("status.CLOSED").asText()).isEqualTo("已结案");
        assertThat(zh.get("status.WITHDRAWN").asText()).isEqualTo("已撤回");
    }
}
