package dev.tally.ledger.audit.file;

import dev.tally.events.json.TallyJson;
import dev.tally.ledger.audit.cli.AuditCommand;
import dev.tally.ledger.support.AuditLedgers;
import dev.tally.ledger.support.GovernanceKeys;
import dev.tally.ledger.support.LedgerServiceTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./tally audit export} against a running ledger-service, then {@code ./tally audit verify FILE} with nothing
 * but the file: the untouched file passes, and one changed byte, one removed event and two swapped events are each
 * found and named by sequence.
 */
class AuditFileIT extends LedgerServiceTestBase {

    @TempDir
    static Path dir;
    /** One ledger and its export for every test: each test changes only its own copy of the file. */
    private static String ledgerId;
    private static Path file;

    private record Run(int status, String out, String err) {
    }

    private Run audit(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new AuditCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run export(String... extra) {
        List<String> args = new ArrayList<>(List.of("export", "--org", ledgerId, "--ledger-url",
                "http://localhost:" + port, "--key", GovernanceKeys.PLATFORM_KEY));
        args.addAll(List.of(extra));
        return audit(args.toArray(String[]::new));
    }

    @BeforeEach
    void exportAVariedLedger() {
        if (ledgerId != null) {
            return;
        }
        http();
        ledgerId = AuditLedgers.varied(ledger);
        file = dir.resolve("ledger.ndjson");
        Run exported = export("--out", file.toString());
        assertThat(exported.status()).as(exported.err()).isZero();
    }

    private List<String> lines(Path path) throws IOException {
        return new ArrayList<>(Files.readAllLines(path, StandardCharsets.UTF_8));
    }

    private static long sequence(String line) {
        return TallyJson.mapper().readTree(line).path("tallysequence").asLong();
    }

    private Path write(List<String> lines) throws IOException {
        Path changed = dir.resolve("changed.ndjson");
        Files.write(changed, lines, StandardCharsets.UTF_8);
        return changed;
    }

    @Test
    void an_untouched_export_verifies_offline_with_every_event_and_the_closing_balances() throws IOException {
        Run verified = audit("verify", file.toString());

        assertThat(verified.status()).as(verified.out()).isZero();
        assertThat(verified.out()).startsWith("OK ");
        List<String> lines = lines(file);
        JsonNode manifest = TallyJson.mapper().readTree(lines.get(lines.size() - 1)).path("manifest");
        assertThat(manifest.path("count").asLong()).isEqualTo(lines.size() - 1).isGreaterThanOrEqualTo(15);
        assertThat(manifest.path("first_sequence").asLong()).isZero();
        assertThat(manifest.path("closing").path("reservations")).hasSize(1);
        JsonNode first = TallyJson.mapper().readTree(lines.get(0));
        assertThat(first.path("specversion").asString()).isEqualTo("1.0");
        assertThat(first.path("type").asString()).isEqualTo("tally.ledger.LedgerOpened.v1");
        assertThat(first.path("subject").asString()).isEqualTo(ledgerId);
    }

    @Test
    void one_changed_byte_in_an_event_is_named_by_its_sequence() throws IOException {
        List<String> lines = lines(file);
        int purchase = indexOf(lines, "tally.ledger.CreditsPurchased");
        lines.set(purchase, lines.get(purchase).replace("\"credits\":1000", "\"credits\":9000"));
        assertThat(lines.get(purchase)).contains("\"credits\":9000");

        Run verified = audit("verify", write(lines).toString());

        assertThat(verified.status()).isEqualTo(1);
        assertThat(verified.out()).contains("FAIL event sequence " + sequence(lines.get(purchase)) + " was altered");
    }

    @Test
    void a_removed_event_is_named_as_missing() throws IOException {
        List<String> lines = lines(file);
        String removed = lines.remove(6);

        Run verified = audit("verify", write(lines).toString());

        assertThat(verified.status()).isEqualTo(1);
        assertThat(verified.out()).contains("FAIL event sequence " + sequence(removed) + " is missing");
    }

    @Test
    void two_swapped_events_are_named_as_out_of_order() throws IOException {
        List<String> lines = lines(file);
        Collections.swap(lines, 4, 5);

        Run verified = audit("verify", write(lines).toString());

        assertThat(verified.status()).isEqualTo(1);
        assertThat(verified.out()).contains("FAIL event sequence " + sequence(lines.get(5)) + " is out of order");
    }

    @Test
    void a_changed_closing_balance_in_the_manifest_is_found_by_the_replay() throws IOException {
        List<String> lines = lines(file);
        int last = lines.size() - 1;
        JsonNode manifest = TallyJson.mapper().readTree(lines.get(last));
        long balance = manifest.path("manifest").path("closing").path("accounts").get(0).path("balance").asLong();
        lines.set(last, lines.get(last).replace("\"balance\":" + balance + ",", "\"balance\":" + (balance + 1) + ","));

        Run verified = audit("verify", write(lines).toString());

        assertThat(verified.status()).isEqualTo(1);
        assertThat(verified.out()).contains("FAIL balances differ: account");
    }

    @Test
    void a_window_starts_from_the_balances_and_hash_before_it_and_verifies_on_its_own() throws IOException {
        List<String> all = lines(file);
        JsonNode fifth = TallyJson.mapper().readTree(all.get(5));
        JsonNode tenth = TallyJson.mapper().readTree(all.get(10));
        Path window = dir.resolve("window.ndjson");

        Run exported = export("--from", fifth.path("time").asString(), "--to", tenth.path("time").asString(),
                "--out", window.toString());
        Run verified = audit("verify", window.toString());

        assertThat(exported.status()).as(exported.err()).isZero();
        assertThat(verified.status()).as(verified.out()).isZero();
        List<String> lines = lines(window);
        JsonNode manifest = TallyJson.mapper().readTree(lines.get(lines.size() - 1)).path("manifest");
        assertThat(manifest.path("first_sequence").asLong()).isEqualTo(fifth.path("tallysequence").asLong());
        assertThat(manifest.path("last_sequence").asLong()).isLessThan(tenth.path("tallysequence").asLong());
        assertThat(manifest.path("previous_hash").asString())
                .isEqualTo(TallyJson.mapper().readTree(all.get(4)).path("tallyhash").asString());
        assertThat(manifest.path("opening_state").isObject()).isTrue();
    }

    @Test
    void a_cut_short_file_or_a_missing_argument_is_refused_with_the_reason() throws IOException {
        List<String> lines = lines(file);
        Run cut = audit("verify", write(lines.subList(0, lines.size() - 1)).toString());
        Run noOrg = audit("export", "--out", dir.resolve("x").toString(), "--key", "tadm_x");
        Run unknown = export("--out", dir.resolve("y").toString(), "--org", "org-nobody");
        Run typo = audit("verify", "--form", "2026-11-01T00:00:00Z", file.toString());

        assertThat(cut.status()).isEqualTo(1);
        assertThat(cut.out()).contains("FAIL the file has no manifest line");
        assertThat(noOrg.status()).isEqualTo(2);
        assertThat(noOrg.err()).contains("--org is required");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("404").contains("ledger org-nobody not found");
        assertThat(typo.status()).isEqualTo(2);
        assertThat(typo.err()).contains("unknown option --form");
    }

    private static int indexOf(List<String> lines, String type) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"type\":\"" + type)) {
                return i;
            }
        }
        throw new AssertionError("no " + type + " in the file");
    }
}
