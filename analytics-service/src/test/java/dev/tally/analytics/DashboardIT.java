package dev.tally.analytics;

import dev.tally.analytics.support.AnalyticsTestBase;
import dev.tally.analytics.support.Fixtures;
import dev.tally.analytics.support.TestEvents;
import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.MemberKind;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real headless Chromium: sign in with an org admin key, see charts fed by events that went
 * through the real broker and database, switch to dark mode, download a CSV. Screenshots are kept in
 * target/screenshots. Chromium missing is a failure, not a skip: a skipped browser test would hide a broken page.
 */
class DashboardIT extends AnalyticsTestBase {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Path screenshots = Path.of(System.getProperty("tally.screenshots", "target/screenshots"));
    private Path profile;
    private Path downloads;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void startBrowser() throws IOException {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            throw new AssertionError("DashboardIT needs Chromium and its driver at " + CHROMIUM + " and "
                    + CHROMEDRIVER + ": install them with 'apt-get install -y chromium chromium-driver'");
        }
        Files.createDirectories(screenshots);
        profile = Files.createTempDirectory("tally-chromium-profile");
        downloads = Files.createTempDirectory("tally-downloads");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // Without the background-networking flags Chromium's own connections fail on a closed network.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile);
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, WAIT);
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        for (Path dir : new Path[] {profile, downloads}) {
            if (dir != null) {
                try (var files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Test
    void an_org_admin_signs_in_sees_charts_of_real_events_switches_to_dark_mode_and_downloads_a_csv()
            throws IOException {
        Fixtures f = new Fixtures("dash");
        String key = publishOrg(f);

        browser.get(baseUrl() + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("admin-key"))).sendKeys(key);
        browser.findElement(By.id("login-button")).click();

        wait.until(d -> "9,390".equals(d.findElement(By.id("balance")).getText()));
        assertThat(text("burn-24h")).isEqualTo("610");
        assertThat(text("days-left")).as("9,390 available at 610 a week").isEqualTo("107");
        wait.until(d -> "610".equals(d.findElement(By.id("chart-trend")).getAttribute("data-total")));
        assertThat(browser.findElements(By.cssSelector("#chart-trend canvas"))).isNotEmpty();
        assertThat(((Number) js("return echarts.getInstanceByDom(document.getElementById('chart-trend'))"
                + ".getOption().series[0].data.reduce((a, b) => a + b, 0)")).longValue()).isEqualTo(610);
        assertThat(js("return echarts.getInstanceByDom(document.getElementById('chart-models'))"
                + ".getOption().series[0].data.map(d => d.name).join(',')")).isEqualTo("gpt-4o,claude-3-haiku");
        assertThat(text("budget-bars")).contains("Platform").contains("500 / 1,000 (50 %)");
        screenshot("1-overview-light");

        assertThat(js("return getComputedStyle(document.body).backgroundColor")).isEqualTo("rgb(245, 246, 248)");
        browser.findElement(By.id("dark-toggle")).click();
        wait.until(d -> "dark".equals(js("return document.documentElement.dataset.theme")));
        assertThat(js("return getComputedStyle(document.body).backgroundColor")).isEqualTo("rgb(18, 21, 27)");
        wait.until(d -> "610".equals(d.findElement(By.id("chart-trend")).getAttribute("data-total")));
        screenshot("2-overview-dark");

        tab("leaderboards");
        wait.until(d -> "2".equals(d.findElement(By.id("chart-top")).getAttribute("data-bars")));
        wait.until(d -> d.findElements(By.cssSelector("#efficiency-table tbody tr")).size() == 2);
        assertThat(js("return echarts.getInstanceByDom(document.getElementById('chart-top'))"
                + ".getOption().yAxis[0].data.join(',')")).isEqualTo("Support bot,Alice");
        screenshot("3-leaderboards-dark");

        tab("budgets");
        wait.until(d -> d.findElements(By.cssSelector("#alerts-table tbody tr")).size() == 1);
        assertThat(text("budgets-table")).contains("Platform");
        screenshot("4-budgets-dark");

        tab("transfers");
        wait.until(d -> d.findElements(By.cssSelector("#transfers-table tbody tr")).size() == 1);
        assertThat(text("transfers-table")).contains("Alice").contains("vacation cover");
        screenshot("5-transfers-dark");

        tab("usage");
        wait.until(d -> d.findElements(By.cssSelector("#usage-table tbody tr")).size() == 4);
        assertThat(text("usage-page")).isEqualTo("1–4 of 4");
        screenshot("6-usage-dark");
        browser.findElement(By.id("download-allocation-csv")).click();
        Path csv = awaitDownload(".csv");
        assertThat(csv.getFileName().toString()).startsWith("tally-cost-allocation-" + f.org);
        assertThat(Files.readString(csv, StandardCharsets.UTF_8))
                .startsWith("team_id,team_name,project_id,project_name,requests,prompt_tokens,completion_tokens,credits")
                .contains("team-a,Platform,p1,Chatbot,2,2000,1000,500")
                .contains("team-b,Bots,,,2,200,600,110");
        Files.copy(csv, screenshots.resolve("downloaded-cost-allocation.csv"), StandardCopyOption.REPLACE_EXISTING);

        browser.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    }

    @Test
    void a_wrong_key_is_refused_on_the_login_form() {
        browser.get(baseUrl() + "/dashboard/index.html");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("admin-key"))).sendKeys("tadm_wrong");
        browser.findElement(By.id("login-button")).click();
        wait.until(d -> !d.findElement(By.id("login-error")).getText().isEmpty());
        assertThat(text("login-error")).contains("admin key is unknown or revoked");
        assertThat(browser.findElement(By.id("app")).isDisplayed()).isFalse();
        screenshot("0-login-refused");
    }

    private String publishOrg(Fixtures f) {
        TestEvents events = events();
        events.state(f.orgState("Dashboard Org"));
        events.state(f.team("team-a", "Platform"));
        events.state(f.team("team-b", "Bots"));
        events.state(f.member("alice", "Alice", MemberKind.USER, "team-a"));
        events.state(f.member("bot-1", "Support bot", MemberKind.AGENT, "team-b"));
        events.state(f.project("p1", "Chatbot"));
        String key = adminKey(f.org, AdminRole.ORG_ADMIN);
        Instant now = Instant.now();
        Scope team = new Scope(ScopeLevel.GROUP, "team-a");
        events.ledger(f.purchase(10_000, now.minusSeconds(7200)));
        events.ledger(f.budget("budget-platform", ScopeLevel.GROUP, "team-a", BudgetPeriod.MONTHLY, 1_000));
        events.ledger(f.reserve("d1", 600, now.minusSeconds(3700)));
        events.ledger(f.usage("d1", 500, now.minusSeconds(3600), new Scope(ScopeLevel.ORG, f.org), team));
        events.ledger(f.reserve("d2", 200, now.minusSeconds(1800)));
        events.ledger(f.usage("d2", 110, now.minusSeconds(1700), new Scope(ScopeLevel.ORG, f.org)));
        events.ledger(f.transfer(f.pool, "alice-acct", 300, now.minusSeconds(600)));
        events.ledger(f.threshold("budget-platform", team, 50, 500, 1_000));
        events.request(f.request("alice", MemberKind.USER, "p1", "gpt-4o", "openai", 1000, 500, 250,
                now.minusSeconds(3600)));
        events.request(f.request("alice", MemberKind.USER, "p1", "gpt-4o", "openai", 1000, 500, 250,
                now.minusSeconds(3500)));
        events.request(f.request("bot-1", MemberKind.AGENT, null, "claude-3-haiku", "anthropic", 100, 300, 60,
                now.minusSeconds(1700)));
        events.request(f.request("bot-1", MemberKind.AGENT, null, "claude-3-haiku", "anthropic", 100, 300, 50,
                now.minusSeconds(1600)));
        // The login needs the key; the charts need the last record projected.
        var api = as(key);
        await().atMost(WAIT).until(() -> api.get("/me").status() == 200
                && api.json("/orgs/" + f.org + "/usage").path("total").asLong() == 4
                && api.json("/orgs/" + f.org + "/alerts").path("items").size() == 1);
        return key;
    }

    private Path awaitDownload(String suffix) {
        return await().atMost(WAIT).until(() -> {
            try (var files = Files.list(downloads)) {
                return files.filter(p -> p.toString().endsWith(suffix)).findFirst();
            }
        }, Optional::isPresent).orElseThrow();
    }

    private void tab(String view) {
        browser.findElement(By.cssSelector(".tab[data-view='" + view + "']")).click();
    }

    private String text(String id) {
        WebElement element = browser.findElement(By.id(id));
        return element.getText();
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private void screenshot(String name) {
        try {
            Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
                    screenshots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("could not keep screenshot " + name, e);
        }
    }
}
