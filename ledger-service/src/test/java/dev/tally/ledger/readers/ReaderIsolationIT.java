package dev.tally.ledger.readers;

import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.ledger.support.GovernanceKeys;
import dev.tally.ledger.support.LedgerServiceTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.tally.ledger.support.Commands.id;
import static dev.tally.ledger.support.Commands.openLedger;
import static dev.tally.ledger.support.Commands.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slow readers of {@code /events} cannot starve the command path. The readers connect as a database role of their own
 * whose every event-store row costs {@value #SECONDS_PER_ROW} s (a row-level security policy that sleeps), so a page
 * of a three-event ledger takes about a second in PostgreSQL while the command path, another role, is as fast as ever.
 */
@TestPropertySource(properties = {
        "tally.ledger.readers.pool-size=" + ReaderIsolationIT.POOL,
        "tally.ledger.readers.connection-timeout=300ms",
        "tally.ledger.readers.statement-timeout=1500ms",
        "tally.ledger.readers.username=" + ReaderIsolationIT.ROLE,
        "tally.ledger.readers.password=slow"})
class ReaderIsolationIT extends LedgerServiceTestBase {

    static final int POOL = 2;
    static final String ROLE = "ledger_slow_reader";
    static final double SECONDS_PER_ROW = 0.3;
    private static final int READERS = 4 * POOL;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    DataSource commandPath;

    @BeforeEach
    void slowReaderRole() {
        JdbcTemplate admin = new JdbcTemplate(commandPath);
        admin.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + ROLE + "') THEN "
                + "CREATE ROLE " + ROLE + " LOGIN PASSWORD 'slow'; END IF; END $$");
        admin.execute("GRANT SELECT ON domain_event_entry TO " + ROLE);
        admin.execute("CREATE OR REPLACE FUNCTION slow_row() RETURNS boolean LANGUAGE plpgsql VOLATILE AS "
                + "$$ BEGIN PERFORM pg_sleep(" + SECONDS_PER_ROW + "); RETURN true; END $$");
        admin.execute("ALTER TABLE domain_event_entry ENABLE ROW LEVEL SECURITY");
        admin.execute("DROP POLICY IF EXISTS slow_readers ON domain_event_entry");
        admin.execute("CREATE POLICY slow_readers ON domain_event_entry FOR SELECT TO " + ROLE + " USING (slow_row())");
    }

    private String ledgerWithEvents(int purchases) {
        String ledgerId = "org-" + id();
        assertThat(ledger.sendAndWait(openLedger(ledgerId))).isInstanceOf(CommandAcceptedReply.class);
        for (int i = 0; i < purchases; i++) {
            assertThat(ledger.sendAndWait(purchase(ledgerId, 10))).isInstanceOf(CommandAcceptedReply.class);
        }
        return ledgerId;
    }

    /** The status and, for errors, the code: "200", "503 readers_busy", … */
    private String read(String ledgerId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ledgers/" + ledgerId
                        + "/events")).header("Authorization", "Bearer " + GovernanceKeys.PLATFORM_KEY)
                .timeout(Duration.ofSeconds(30)).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return "200";
            }
            return response.statusCode() + " " + TallyJson.mapper().readTree(response.body()).path("error")
                    .path("code").asString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void commands_are_answered_while_more_slow_readers_than_the_readers_pool_holds_are_reading() throws Exception {
        String read = ledgerWithEvents(2);
        String written = ledgerWithEvents(0);
        http();
        AtomicBoolean reading = new AtomicBoolean(true);
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        ExecutorService readers = Executors.newFixedThreadPool(READERS);
        try {
            for (int i = 0; i < READERS; i++) {
                readers.submit(() -> {
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (reading.get() && System.nanoTime() < deadline) {
                        answers.computeIfAbsent(read(read), a -> new AtomicInteger()).incrementAndGet();
                    }
                });
            }
            // The readers' pool is full and readers queue for it: more readers than connections, each ~1 s long.
            await().atMost(Duration.ofSeconds(30)).until(() -> answers.containsKey("503 readers_busy")
                    && answers.containsKey("200"));

            int busyBefore = answers.get("503 readers_busy").get();
            for (int i = 0; i < 5; i++) {
                LedgerReply reply = ledger.sendAndWait(purchase(written, 1));
                assertThat(reply).isInstanceOf(CommandAcceptedReply.class);
            }
            // The readers never stopped meanwhile, and are still being turned away: the pool stayed full throughout.
            await().atMost(Duration.ofSeconds(10)).until(() -> answers.get("503 readers_busy").get() > busyBefore);
        } finally {
            reading.set(false);
            readers.shutdown();
            assertThat(readers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(answers.keySet()).containsOnly("200", "503 readers_busy");
        assertThat(read(read)).isEqualTo("200");
    }

    @Test
    void a_read_longer_than_the_statement_timeout_is_cancelled_and_answers_503_read_timeout() {
        String longLedger = ledgerWithEvents(7);
        String shortLedger = ledgerWithEvents(1);
        http();

        assertThat(read(longLedger)).isEqualTo("503 read_timeout");
        // The cancelled statement left its connection usable.
        for (int i = 0; i < POOL + 1; i++) {
            assertThat(read(shortLedger)).isEqualTo("200");
        }
    }
}
