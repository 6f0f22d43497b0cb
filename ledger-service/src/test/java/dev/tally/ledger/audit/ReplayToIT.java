package dev.tally.ledger.audit;

import dev.tally.events.json.TallyJson;
import dev.tally.ledger.support.AuditCli;
import dev.tally.ledger.support.AuditLedgers;
import dev.tally.ledger.support.GovernanceKeys;
import dev.tally.ledger.support.LedgerServiceTestBase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static dev.tally.ledger.support.Commands.id;
import static dev.tally.ledger.support.Commands.purchase;
import static dev.tally.ledger.support.Commands.release;
import static dev.tally.ledger.support.Commands.reserve;
import static dev.tally.ledger.support.Commands.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code replay --org ID --to TIME} gives the balances, open holds and budget windows recorded at TIME. */
class ReplayToIT extends LedgerServiceTestBase {

    private AuditCli.Run audit(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 4);
        System.arraycopy(new String[] {"--ledger-url", "http://localhost:" + port, "--key",
                GovernanceKeys.PLATFORM_KEY}, 0, all, args.length, 4);
        return AuditCli.run(all);
    }

    /** GET /ledgers/{id} once the projection has applied every stored event. */
    private JsonNode recorded(String ledgerId) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> audit("verify", "--org", ledgerId, "--skip-topic").status() == 0);
        return TallyJson.mapper().readTree(http().get().uri("/ledgers/" + ledgerId).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    private JsonNode replay(String ledgerId, Instant to) {
        AuditCli.Run run = audit("replay", "--org", ledgerId, "--to", to.toString());
        assertThat(run.status()).as(run.err()).isZero();
        return TallyJson.mapper().readTree(run.out());
    }

    /** The rows both answers share, as comparable sets: the view adds only {@code available} per account. */
    private static Set<String> rows(JsonNode ledger) {
        Set<String> rows = new HashSet<>();
        for (String kind : new String[] {"accounts", "reservations", "budgets"}) {
            for (JsonNode row : ledger.path(kind)) {
                JsonNode copy = row.deepCopy();
                ((tools.jackson.databind.node.ObjectNode) copy).remove("available");
                rows.add(kind + " " + copy);
            }
        }
        return rows;
    }

    @Test
    void replay_to_a_time_gives_what_the_ledger_showed_then_and_not_what_came_after() {
        String ledgerId = AuditLedgers.varied(ledger);
        JsonNode then = recorded(ledgerId);
        Instant at = Instant.now();
        await().pollDelay(Duration.ofMillis(20)).until(() -> Instant.now().isAfter(at));

        AuditLedgers.accepted(ledger, purchase(ledgerId, 250));
        String later = "res-" + id();
        AuditLedgers.accepted(ledger, reserve(ledgerId, later, 30, 3600));
        AuditLedgers.accepted(ledger, usage(ledgerId, later, 20));
        AuditLedgers.accepted(ledger, reserve(ledgerId, "res-" + id(), 60, 3600));
        String released = "res-" + id();
        AuditLedgers.accepted(ledger, reserve(ledgerId, released, 10, 3600));
        AuditLedgers.accepted(ledger, release(ledgerId, released));
        JsonNode now = recorded(ledgerId);

        JsonNode replayedThen = replay(ledgerId, at);
        JsonNode replayedNow = replay(ledgerId, Instant.now());

        assertThat(rows(now)).isNotEqualTo(rows(then));
        assertThat(rows(replayedThen)).isEqualTo(rows(then));
        assertThat(replayedThen.path("events").asLong()).isEqualTo(then.path("events_applied").asLong());
        assertThat(rows(replayedNow)).isEqualTo(rows(now));
    }

    @Test
    void replay_without_a_time_or_of_an_unknown_ledger_is_refused_with_the_reason() {
        AuditCli.Run noTime = audit("replay", "--org", "org-x");
        AuditCli.Run badTime = audit("replay", "--org", "org-x", "--to", "yesterday");
        AuditCli.Run unknown = audit("replay", "--org", "org-nobody-" + id(), "--to", Instant.now().toString());

        assertThat(noTime.status()).isEqualTo(2);
        assertThat(noTime.err()).contains("--to is required");
        assertThat(badTime.status()).isEqualTo(2);
        assertThat(badTime.err()).contains("--to must be an ISO-8601 instant");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("404");
    }
}
