package dev.tally.ledger.audit.cli;

import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.ledger.audit.file.AuditFile;
import dev.tally.ledger.domain.LedgerState;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * {@code replay --org ID --to TIME}: the ledger as it stood at TIME, folded with the aggregate's own
 * {@link LedgerState} from the events stored before TIME: balances, open holds and the budget windows as last
 * touched, in the projection's row form, with how many events it took and the last one's sequence.
 */
final class ReplayCommand {

    private final LedgerApi api;

    ReplayCommand(LedgerApi api) {
        this.api = api;
    }

    ObjectNode replay(String ledgerId, Instant to) {
        LedgerState state = new LedgerState();
        long events = 0;
        Long lastSequence = null;
        long after = -1;
        boolean done = false;
        while (!done) {
            LedgerApi.EventPage page = api.events(ledgerId, after);
            for (JsonNode line : page.events()) {
                if (!Instant.parse(line.path("time").asString()).isBefore(to)) {
                    done = true;
                    break;
                }
                Class<?> type = LedgerMessageTypes.ofCeType(line.path("type").asString()).javaType();
                state.apply((LedgerEvent) TallyJson.read(AuditFile.payload(line.path("data")), type));
                events++;
                lastSequence = line.path("sequence").asLong();
            }
            if (page.nextAfter() == null) {
                done = true;
            } else {
                after = page.nextAfter();
            }
        }
        ObjectNode answer = TallyJson.mapper().createObjectNode();
        answer.put("ledger_id", ledgerId);
        answer.put("as_of", to.toString());
        answer.put("events", events);
        if (lastSequence != null) {
            answer.put("last_sequence", lastSequence);
        }
        ObjectNode snapshot = TallyJson.mapper().valueToTree(state.snapshot());
        snapshot.remove("ledger_id");
        answer.setAll(snapshot);
        return answer;
    }
}
