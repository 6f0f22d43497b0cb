package dev.tally.ledger.audit;

import dev.tally.events.json.TallyJson;
import dev.tally.ledger.eventstore.EventPages;
import dev.tally.ledger.eventstore.StoredEvent;
import dev.tally.ledger.readers.ReadFailures;
import dev.tally.ledger.readers.ReaderSettings;
import dev.tally.servicekit.auth.Caller;
import dev.tally.servicekit.web.ApiException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Audit: a ledger's events as NDJSON, a bounded page at a time, and a replay that checks the projection. Both read
 * through the readers' pool; both are for the organisation's owner and admins and for platform admins.
 */
@RestController
public class AuditController {

    /** Set on a full page: the {@code after} that continues it. Absent on the last page. */
    public static final String NEXT_AFTER = "Tally-Next-After";
    private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

    private final EventPages events;
    private final LedgerVerifier verifier;
    private final ReaderSettings settings;

    AuditController(EventPages events, LedgerVerifier verifier, ReaderSettings settings) {
        this.events = events;
        this.verifier = verifier;
        this.settings = settings;
    }

    /** One line per event, oldest first: {@code event_id, sequence, type, time, hash, data}. */
    @GetMapping("/ledgers/{ledgerId}/events")
    public Mono<ResponseEntity<String>> export(Caller caller, @PathVariable String ledgerId,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) Long after, @RequestParam(required = false) Integer limit) {
        caller.requireOrg(ledgerId, "ledger", ledgerId);
        Instant since = instant("from", from);
        Instant until = instant("to", to);
        long afterSequence = after(after);
        int size = limit(limit);
        return Mono.fromCallable(() -> ReadFailures.translate(settings, () -> {
                    // One more than asked says whether another page follows, without a second query.
                    List<StoredEvent> page = events.page(ledgerId, afterSequence, size + 1, since, until);
                    if (page.isEmpty() && !events.exists(ledgerId)) {
                        throw ApiException.notFound("ledger", ledgerId);
                    }
                    return page;
                }))
                .subscribeOn(Schedulers.boundedElastic())
                .map(page -> answer(page, size));
    }

    /** Every ledger id, a page at a time, for a platform admin's sweep ({@code ./tally audit verify --all}). */
    @GetMapping("/ledgers")
    public Mono<ResponseEntity<LedgerIds>> ledgers(Caller caller, @RequestParam(required = false) String after,
            @RequestParam(required = false) Integer limit) {
        caller.requirePlatformAdmin();
        int size = limit(limit);
        return Mono.fromCallable(() -> ReadFailures.translate(settings, () -> events.ledgerIds(after, size + 1)))
                .subscribeOn(Schedulers.boundedElastic())
                .map(ids -> {
                    List<String> page = ids.stream().limit(size).toList();
                    ResponseEntity.BodyBuilder response = ResponseEntity.ok();
                    if (ids.size() > size) {
                        response.header(NEXT_AFTER, page.get(page.size() - 1));
                    }
                    return response.body(new LedgerIds(page));
                });
    }

    /** The answer of {@code GET /ledgers}. */
    public record LedgerIds(List<String> ledgers) {
    }

    @PostMapping("/ledgers/{ledgerId}/verify")
    public Mono<VerificationReport> verify(Caller caller, @PathVariable String ledgerId) {
        caller.requireOrg(ledgerId, "ledger", ledgerId);
        return Mono.fromCallable(() -> ReadFailures.translate(settings, () -> verifier.verify(ledgerId))
                        .orElseThrow(() -> ApiException.notFound("ledger", ledgerId)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    private static ResponseEntity<String> answer(List<StoredEvent> page, int size) {
        StringBuilder body = new StringBuilder();
        page.stream().limit(size).forEach(event -> body.append(line(event)));
        ResponseEntity.BodyBuilder response = ResponseEntity.ok().contentType(NDJSON);
        if (page.size() > size) {
            response.header(NEXT_AFTER, Long.toString(page.get(size - 1).sequence()));
        }
        return response.body(body.toString());
    }

    private static String line(StoredEvent event) {
        ObjectNode line = TallyJson.mapper().createObjectNode();
        line.put("event_id", event.eventId());
        line.put("sequence", event.sequence());
        line.put("type", event.ceType());
        line.put("time", event.time().toString());
        line.put("hash", event.hash());
        line.set("data", TallyJson.mapper().readTree(event.payload()));
        return line + "\n";
    }

    private int limit(Integer limit) {
        if (limit == null) {
            return settings.defaultLimit();
        }
        if (limit < 1 || limit > settings.maxLimit()) {
            throw ApiException.invalid("limit", "must be between 1 and " + settings.maxLimit());
        }
        return limit;
    }

    private static long after(Long after) {
        if (after == null) {
            return -1;
        }
        if (after < 0) {
            throw ApiException.invalid("after", "must be the sequence of an event (0 or more)");
        }
        return after;
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(name, "must be an ISO-8601 instant such as 2026-11-23T00:00:00Z, was " + value);
        }
    }
}
