package io.tracewatch.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.model.Alert;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.CaseStatus;
import io.tracewatch.model.Severity;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live page in real headless Chromium (Debian's chromium and chromium-driver): the cases page
 * first, a case view with its evidence and a CLOSE action sent and applied, a deep link; then an
 * alert arriving without a reload, a filter, and a code's evidence in order.
 */
class FeedBrowserTest {
    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
    private static FeedFixture feed;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assertThat(CHROMIUM).as("Chromium is installed by .ci/run (apt-get install chromium chromium-driver)").exists();
        feed = new FeedFixture();
        feed.publish(FeedFixture.alert("b1", "IMPOSSIBLE_ROUTE", Severity.MEDIUM, "86123450000000000401", "PH-120105-0002", "120105", "03-02 10:00"));
        browser = chromium("en-US");
    }

    /** Headless Chromium whose languages (its Accept-Language) are {@code language}, with a profile of its own. */
    private static ChromeDriver chromium(String language) throws Exception {
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--window-size=1400,1000", "--lang=" + language, "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", language));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        return new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (feed != null) {
            feed.close();
        }
    }

    private static WebDriverWait waiting() {
        return waiting(browser);
    }

    private static WebDriverWait waiting(ChromeDriver driver) {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    /** Visible text on the page that still reads in Latin letters: ids, codes, numbers and the brand excepted. */
    @SuppressWarnings("unchecked")
    private static List<String> untranslated(ChromeDriver driver) {
        return (List<String>) driver.executeScript("""
                const left = [];
                const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                while (walker.nextNode()) {
                  const node = walker.currentNode;
                  const parent = node.parentElement;
                  if (!parent || parent.closest('[hidden], script, title, option') || parent.getClientRects().length === 0) continue;
                  const text = node.textContent
                    .replace(/[A-Z]{2,4}-\\d{6}-\\d{4}/g, '')
                    .replace(/\\S*@\\S*/g, '')
                    .replace(/\\b[a-z]\\d+(-\\d+)?\\b/g, '')
                    .replace(/\\b(tracewatch|English|city)\\b/g, '');
                  if (/[A-Za-z]{2,}/.test(text)) left.push(node.textContent.trim());
                }
                return left;""");
    }

    private static void screenshot(ChromeDriver driver, String name) throws Exception {
        Path file = Paths.get("target", "screenshots", name + ".png");
        Files.createDirectories(file.getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    private static List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#alerts tbody tr"));
    }

    @Test
    void aChineseReaderGetsThePageInChineseEveryLabelTranslatedAndEnglishOneClickAway() throws Exception {
        String caseId = "PH-120105-0002@2026-03";
        feed.publish(FeedApiTest.caseRecord(caseId, 1, CaseStatus.OPEN, Severity.MEDIUM, "120105", List.of("120105"), 1, "b1"));
        ChromeDriver chinese = chromium("zh-CN");
        try {
            chinese.get(feed.base() + "/#token=" + FeedFixture.CITY);
            waiting(chinese).until(d -> d.findElement(By.id("connection")).getText().equals("实时"));
            assertThat(chinese.executeScript("return document.documentElement.lang")).isEqualTo("zh-CN");
            assertThat(chinese.findElement(By.id("tab-cases")).getText()).isEqualTo("案件");
            waiting(chinese).until(d -> !d.findElements(By.cssSelector("#cases tbody tr[data-case='" + caseId + "']")).isEmpty());
            assertThat(chinese.findElement(By.cssSelector("#cases tbody tr[data-case='" + caseId + "']")).getText()).contains("待处理", "中");
            assertThat(untranslated(chinese)).as("cases page").isEmpty();
            screenshot(chinese, "cases-zh-CN");

            chinese.findElement(By.cssSelector("#cases tbody tr[data-case='" + caseId + "'] a")).click();
            waiting(chinese).until(d -> d.findElement(By.id("case-detail")).isDisplayed()
                    && !d.findElements(By.cssSelector("#case-alert-list .case-alert")).isEmpty());
            assertThat(chinese.findElement(By.id("case-alert-list")).getText()).contains("流向异常", "流向异常：");
            assertThat(chinese.findElement(By.id("case-summary")).getText()).contains("在办预警", "+08:00");
            assertThat(untranslated(chinese)).as("case view").isEmpty();
            screenshot(chinese, "case-zh-CN");

            chinese.get(feed.base() + "/#/code/86123450000000000401");
            waiting(chinese).until(d -> d.findElement(By.id("case-view")).isDisplayed()
                    && d.findElements(By.cssSelector("#case-timeline tbody tr")).size() == 2);
            waiting(chinese).until(d -> !d.findElement(By.id("custody-note")).getText().startsWith("正在"));
            assertThat(chinese.findElement(By.id("case-timeline")).getText()).contains("销售");
            assertThat(untranslated(chinese)).as("code view").isEmpty();
            screenshot(chinese, "code-zh-CN");

            // English one click away, and remembered
            chinese.findElement(By.id("language")).click();
            waiting(chinese).until(d -> d.findElement(By.id("tab-cases")).getText().equals("Cases"));
            assertThat(chinese.executeScript("return document.documentElement.lang")).isEqualTo("en");
            screenshot(chinese, "code-en");
            chinese.get(feed.base() + "/#/case/" + caseId);
            waiting(chinese).until(d -> d.findElement(By.id("case-detail")).isDisplayed());
            assertThat(chinese.findElement(By.id("tab-cases")).getText()).as("the choice is remembered").isEqualTo("Cases");
            screenshot(chinese, "case-en");
            chinese.get(feed.base() + "/#/cases");
            waiting(chinese).until(d -> !d.findElements(By.cssSelector("#cases tbody tr")).isEmpty());
            screenshot(chinese, "cases-en");
        } finally {
            chinese.quit();
        }
    }

    @Test
    void aRegulatorWorksACaseThenFollowsAlertsFiltersThemAndOpensACode() throws Exception {
        String caseId = "PH-120105-0002@2026-03";
        feed.publish(FeedApiTest.caseRecord(caseId, 1, CaseStatus.OPEN, Severity.MEDIUM, "120105", List.of("120105"), 1, "b1"));
        browser.get(feed.base() + "/#token=" + FeedFixture.CITY);
        waiting().until(d -> d.findElement(By.id("connection")).getText().equals("live"));
        assertThat(browser.getCurrentUrl()).as("the token leaves the address at once").doesNotContain(FeedFixture.CITY);

        // the cases page is the default view
        waiting().until(d -> !d.findElements(By.cssSelector("#cases tbody tr[data-case='" + caseId + "']")).isEmpty());
        browser.findElement(By.cssSelector("#cases tbody tr[data-case='" + caseId + "'] a")).click();
        waiting().until(d -> d.findElement(By.id("case-detail")).isDisplayed());
        assertThat(browser.findElement(By.id("case-id")).getText()).isEqualTo(caseId);
        assertThat(browser.findElements(By.cssSelector("#case-alert-list .case-alert[data-alert='b1'] li"))).hasSize(2);
        assertThat(browser.findElement(By.id("case-actions")).isDisplayed()).as("the city token handles cases").isTrue();
        new Select(browser.findElement(By.id("case-disposition"))).selectByVisibleText("CONFIRMED");
        browser.findElement(By.id("case-note")).sendKeys("stock seized");
        browser.findElement(By.cssSelector("#case-actions button[data-action='CLOSE']")).click();
        waiting().until(d -> d.findElement(By.id("case-action-result")).getText().startsWith("CLOSE sent"));
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> sent = new io.tracewatch.testing.KafkaTopics(
                feed.kafka.bootstrapServers()).readUntil(feed.config.kafka().caseActionsTopic(), r -> !r.isEmpty(), Duration.ofSeconds(20));
        assertThat(new String(sent.get(0).value(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"action\":\"CLOSE\"", "\"disposition\":\"CONFIRMED\"", "\"actor\":\"city\"", "stock seized");
        // the job applies it: the case updates over the event stream
        feed.publish(CaseRecord.newBuilder(FeedApiTest.caseRecord(caseId, 2, CaseStatus.CLOSED, Severity.MEDIUM, "120105", List.of("120105"), 1, "b1"))
                .setActions(List.of(io.tracewatch.model.CaseActionEntry.newBuilder().setAction("CLOSE").setStatus(CaseStatus.CLOSED)
                        .setDisposition(io.tracewatch.model.Disposition.CONFIRMED).setNote("stock seized").setActor("city")
                        .setAt(java.time.Instant.now()).build())).build());
        waiting().until(d -> d.findElement(By.id("case-status")).getText().startsWith("CLOSED"));
        assertThat(browser.findElements(By.cssSelector("#case-history tbody tr"))).hasSize(1);

        // a deep link opens the same case
        browser.get(feed.base() + "/#/case/" + caseId);
        waiting().until(d -> d.findElement(By.id("case-detail")).isDisplayed() && d.findElement(By.id("case-id")).getText().equals(caseId));

        browser.findElement(By.id("tab-alerts")).click();
        waiting().until(d -> !rows().isEmpty());
        assertThat(rows()).extracting(r -> r.getAttribute("data-id")).containsExactly("b1");

        // arrives over the event stream, no reload
        Alert dup = FeedFixture.alert("b2", "DUPLICATE_SALE", Severity.HIGH, "86123450000000000402", "PH-120101-0007", "120101", "03-03 12:00");
        feed.publish(dup);
        waiting().until(d -> rows().size() == 2);
        assertThat(rows().get(0).getAttribute("data-id")).isEqualTo("b2");
        feed.publish(FeedFixture.retraction(dup));
        waiting().until(d -> rows().get(0).getAttribute("class").contains("retracted"));

        new Select(browser.findElement(By.id("rule-filter"))).selectByVisibleText("IMPOSSIBLE_ROUTE");
        waiting().until(d -> rows().size() == 1 && "b1".equals(rows().get(0).getAttribute("data-id")));

        browser.findElement(By.cssSelector("#alerts tbody tr[data-id='b1'] td.code a")).click();
        waiting().until(d -> d.findElement(By.id("case-view")).isDisplayed());
        List<WebElement> timeline = browser.findElements(By.cssSelector("#case-timeline tbody tr"));
        assertThat(timeline).extracting(r -> r.getAttribute("data-event")).containsExactly("b1-1", "b1-2");
        assertThat(timeline.get(1).getAttribute("class")).contains("trigger");
        assertThat(browser.findElements(By.cssSelector("#case-map circle"))).hasSize(2);
        assertThat(browser.findElements(By.cssSelector("#chart rect"))).isNotEmpty();
        assertThat(browser.getCurrentUrl()).endsWith("#/code/86123450000000000401");

        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        Path screenshot = Paths.get("target", "feed-screenshot.png");
        Files.createDirectories(screenshot.getParent());
        Files.write(screenshot, png);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        Set<Integer> colours = new HashSet<>();
        for (int x = 0; x < image.getWidth(); x += 7) {
            for (int y = 0; y < image.getHeight(); y += 7) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(png.length).as("screenshot bytes").isGreaterThan(20_000);
        assertThat(colours).as("distinct colours in the screenshot").hasSizeGreaterThan(20);
    }
}
