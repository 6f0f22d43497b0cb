package dev.tally.ledger.audit.cli;

import dev.tally.ledger.audit.file.AuditFile;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ledger's check for {@code verify --org} and {@code verify --all}: ledger-service follows the hash chain through
 * the event store and replays it against the balances projection ({@code POST /verify}); then every stored event
 * must be on {@code tally.ledger.events} with the same sequence, hash and content, and nothing else of the ledger may
 * be there. Each difference names the event's sequence.
 */
final class LedgerCheck {

    private final LedgerApi api;
    private final TopicIndex topic;
    private final Duration grace;

    /**
     * @param topic null to leave the topic out ({@code --skip-topic})
     * @param grace events stored this shortly before the topic was read may still be on their way to it: their
     *              absence is not a difference
     */
    LedgerCheck(LedgerApi api, TopicIndex topic, Duration grace) {
        this.api = api;
        this.topic = topic;
        this.grace = grace;
    }

    /** Every difference found, as sentences; empty when store, projection and topic agree. */
    List<String> check(String ledgerId) {
        List<String> differences = new ArrayList<>(storeAndProjection(ledgerId));
        if (topic != null) {
            differences.addAll(topic(ledgerId));
        }
        return differences;
    }

    private List<String> storeAndProjection(String ledgerId) {
        JsonNode report = api.verify(ledgerId);
        if (!report.path("consistent").asBoolean() && lagging(report)) {
            // A ledger written during the sweep: the projection may be a few events behind; look once more.
            sleep();
            report = api.verify(ledgerId);
        }
        List<String> differences = new ArrayList<>();
        for (JsonNode difference : report.path("differences")) {
            differences.add(difference.asString());
        }
        if (lagging(report)) {
            differences.add("projection: has applied " + report.path("projection_events_applied").asLong() + " of "
                    + report.path("events_replayed").asLong() + " events");
        }
        return differences;
    }

    private List<String> topic(String ledgerId) {
        Map<String, TopicIndex.Published> published = topic.ledger(ledgerId);
        Set<String> stored = new HashSet<>();
        List<String> differences = new ArrayList<>();
        Instant settled = topic.readAt().minus(grace);
        long after = -1;
        while (true) {
            LedgerApi.EventPage page = api.events(ledgerId, after);
            for (JsonNode event : page.events()) {
                compare(event, published, settled, differences);
                stored.add(event.path("event_id").asString());
            }
            if (page.nextAfter() == null) {
                break;
            }
            after = page.nextAfter();
        }
        published.values().stream().filter(record -> !stored.contains(record.ceId()))
                .forEach(record -> differences.add("topic: " + topic.topic() + " holds ce_id " + record.ceId()
                        + (record.sequence() == null ? "" : " (sequence " + record.sequence() + ")")
                        + ", which the event store does not"));
        return differences;
    }

    private void compare(JsonNode event, Map<String, TopicIndex.Published> published, Instant settled,
            List<String> differences) {
        long sequence = event.path("sequence").asLong();
        String where = "topic: event sequence " + sequence;
        TopicIndex.Published record = published.get(event.path("event_id").asString());
        if (record == null) {
            if (Instant.parse(event.path("time").asString()).isBefore(settled)) {
                differences.add(where + " (ce_id " + event.path("event_id").asString() + ") is missing from "
                        + topic.topic());
            }
            return;
        }
        if (!Arrays.equals(record.valueDigest(), TopicIndex.digest(AuditFile.payload(event.path("data"))))) {
            differences.add(where + " differs from the event store in its content");
        }
        if (record.sequence() != null && record.sequence() != sequence) {
            differences.add(where + " is published as sequence " + record.sequence());
        }
        String hash = event.path("hash").asString(null);
        if (record.hash() != null && hash != null && !record.hash().equals(hash)) {
            differences.add(where + " carries another tallyhash than the event store's");
        }
    }

    private static boolean lagging(JsonNode report) {
        return report.path("projection_events_applied").asLong() < report.path("events_replayed").asLong();
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
