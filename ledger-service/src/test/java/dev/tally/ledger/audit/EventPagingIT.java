package dev.tally.ledger.audit;

import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.ledger.support.LedgerServiceTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.tally.ledger.support.Commands.id;
import static dev.tally.ledger.support.Commands.openLedger;
import static dev.tally.ledger.support.Commands.purchase;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /ledgers/{id}/events} answers a bounded page and says where the next one starts. */
class EventPagingIT extends LedgerServiceTestBase {

    private String ledgerWithEvents(int purchases) {
        String ledgerId = "org-" + id();
        assertThat(ledger.sendAndWait(openLedger(ledgerId))).isInstanceOf(CommandAcceptedReply.class);
        for (int i = 0; i < purchases; i++) {
            assertThat(ledger.sendAndWait(purchase(ledgerId, 10 + i))).isInstanceOf(CommandAcceptedReply.class);
        }
        return ledgerId;
    }

    private EntityExchangeResult<String> page(String ledgerId, String query) {
        return http().get().uri("/ledgers/" + ledgerId + "/events" + query).exchange()
                .expectBody(String.class).returnResult();
    }

    private static List<Long> sequences(EntityExchangeResult<String> page) {
        String body = page.getResponseBody() == null ? "" : page.getResponseBody();
        return Arrays.stream(body.split("\n")).filter(line -> !line.isBlank())
                .map(line -> TallyJson.mapper().readTree(line).path("sequence").asLong()).toList();
    }

    @Test
    void pages_of_a_limit_follow_one_another_through_the_next_after_header_to_the_whole_ledger() {
        String ledgerId = ledgerWithEvents(4);
        List<Long> all = sequences(page(ledgerId, ""));
        assertThat(all).hasSizeGreaterThanOrEqualTo(5).isSorted().doesNotHaveDuplicates();

        List<Long> paged = new ArrayList<>();
        String query = "?limit=2";
        int pages = 0;
        while (query != null) {
            EntityExchangeResult<String> page = page(ledgerId, query);
            assertThat(page.getStatus().value()).isEqualTo(200);
            List<Long> sequences = sequences(page);
            assertThat(sequences).hasSizeLessThanOrEqualTo(2);
            paged.addAll(sequences);
            pages++;
            String next = page.getResponseHeaders().getFirst(AuditController.NEXT_AFTER);
            if (next != null) {
                assertThat(Long.parseLong(next)).isEqualTo(sequences.get(sequences.size() - 1));
            }
            query = next == null ? null : "?limit=2&after=" + next;
        }

        assertThat(paged).isEqualTo(all);
        assertThat(pages).isEqualTo((all.size() + 1) / 2);
    }

    @Test
    void the_last_page_has_no_next_after_header_even_when_it_is_exactly_full() {
        String ledgerId = ledgerWithEvents(1);
        List<Long> all = sequences(page(ledgerId, ""));

        EntityExchangeResult<String> exact = page(ledgerId, "?limit=" + all.size());

        assertThat(sequences(exact)).isEqualTo(all);
        assertThat(exact.getResponseHeaders().getFirst(AuditController.NEXT_AFTER)).isNull();
    }

    @Test
    void after_the_last_event_the_page_is_empty_not_missing() {
        String ledgerId = ledgerWithEvents(1);
        List<Long> all = sequences(page(ledgerId, ""));

        EntityExchangeResult<String> beyond = page(ledgerId, "?after=" + all.get(all.size() - 1));

        assertThat(beyond.getStatus().value()).isEqualTo(200);
        assertThat(sequences(beyond)).isEmpty();
    }

    @Test
    void a_limit_outside_its_bounds_or_a_negative_after_is_refused_naming_the_field() {
        String ledgerId = ledgerWithEvents(0);

        for (String query : new String[] {"?limit=0", "?limit=10001", "?limit=many", "?after=-1"}) {
            EntityExchangeResult<String> refused = page(ledgerId, query);
            assertThat(refused.getStatus().value()).as(query).isEqualTo(400);
            JsonNode error = TallyJson.mapper().readTree(refused.getResponseBody()).path("error");
            assertThat(error.path("code").asString()).as(query).isEqualTo("invalid_field");
            assertThat(error.path("field").asString()).as(query).isEqualTo(query.substring(1, query.indexOf('=')));
        }
    }
}
