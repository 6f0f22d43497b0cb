package dev.tally.ledger.audit;

import dev.tally.events.json.TallyJson;
import dev.tally.ledger.eventstore.EventStoreReader;
import dev.tally.ledger.eventstore.StoredEvent;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Audit: every event of a ledger as NDJSON, and a replay that checks the projection. */
@RestController
public class AuditController {

    private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

    private final EventStoreReader events;
    private final LedgerVerifier verifier;

    AuditController(EventStoreReader events, LedgerVerifier verifier) {
        this.events = events;
        this.verifier = verifier;
    }

    /** One line per event, oldest first: {@code event_id, sequence, type, time, data}. */
    @GetMapping(value = "/ledgers/{ledgerId}/events", produces = "application/x-ndjson")
    public Flux<String> export(@PathVariable String ledgerId, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to) {
        Instant since = instant("from", from, Instant.MIN);
        Instant until = instant("to", to, Instant.MAX);
        return Flux.defer(() -> Flux.fromStream(events.events(ledgerId)))
                .filter(e -> !e.time().isBefore(since) && e.time().isBefore(until))
                .map(AuditController::line)
                .subscribeOn(Schedulers.boundedElastic());
    }

    @PostMapping("/ledgers/{ledgerId}/verify")
    public Mono<VerificationReport> verify(@PathVariable String ledgerId) {
        return Mono.fromCallable(() -> verifier.verify(ledgerId).orElseThrow(
                        () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no ledger " + ledgerId)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    private static String line(StoredEvent event) {
        ObjectNode line = TallyJson.mapper().createObjectNode();
        line.put("event_id", event.eventId());
        line.put("sequence", event.sequence());
        line.put("type", event.ceType());
        line.put("time", event.time().toString());
        line.set("data", TallyJson.mapper().readTree(event.payload()));
        return line + "\n";
    }

    private static Instant instant(String name, String value, Instant otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    name + " must be an ISO-8601 instant such as 2026-11-23T00:00:00Z, was " + value);
        }
    }
}
