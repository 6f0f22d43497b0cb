package dev.tally.ledger.audit.file;

import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.ledger.audit.SnapshotComparison;
import dev.tally.ledger.audit.chain.EventHash;
import dev.tally.ledger.domain.LedgerSnapshot;
import dev.tally.ledger.domain.LedgerState;
import dev.tally.ledger.domain.LedgerStateJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks an audit file with nothing but the file: its sequence has no gap, duplicate or reordering, every event still
 * gives its chain hash, and folding the events with the aggregate's own {@link LedgerState} from the manifest's
 * opening state gives the manifest's closing balances and budget windows. Every problem names the event's sequence.
 */
public final class AuditFileVerifier {

    private AuditFileVerifier() {
    }

    /** One event line as read. */
    record FileEvent(int line, long sequence, String id, String type, String subject, JsonNode data, String hash) {
    }

    public static FileVerification verify(Path file) throws IOException {
        List<String> problems = new ArrayList<>();
        List<FileEvent> events = new ArrayList<>();
        AuditManifest manifest = null;
        int lineNumber = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            while ((text = reader.readLine()) != null) {
                lineNumber++;
                if (text.isBlank()) {
                    continue;
                }
                if (manifest != null) {
                    problems.add("line " + lineNumber + " follows the manifest, which must be the last line");
                }
                JsonNode node;
                try {
                    node = TallyJson.mapper().readTree(text);
                } catch (JacksonException e) {
                    problems.add("line " + lineNumber + " is not JSON" + after(events) + ": the file was changed");
                    continue;
                }
                if (node.has(AuditFile.MANIFEST)) {
                    manifest = manifest(node.get(AuditFile.MANIFEST), lineNumber, problems);
                    continue;
                }
                FileEvent event = event(node, lineNumber, problems);
                if (event != null) {
                    events.add(event);
                }
            }
        }
        if (manifest == null) {
            problems.add("the file has no manifest line (cut short, or not a Tally audit file)");
            return new FileVerification(null, events.size(), problems);
        }
        checkSequence(manifest, events, problems);
        checkChain(manifest, events, problems);
        checkReplay(manifest, events, problems);
        return new FileVerification(manifest, events.size(), problems);
    }

    private static AuditManifest manifest(JsonNode node, int line, List<String> problems) {
        try {
            AuditManifest manifest = TallyJson.mapper().treeToValue(node, AuditManifest.class);
            if (!AuditManifest.FORMAT.equals(manifest.format())) {
                problems.add("the manifest's format is " + manifest.format() + ", not " + AuditManifest.FORMAT);
            }
            if (manifest.ledgerId() == null || manifest.closing() == null || !EventHash.isHash(manifest.previousHash())
                    || !EventHash.isHash(manifest.lastHash())) {
                problems.add("the manifest (line " + line + ") lacks ledger_id, closing, previous_hash or last_hash");
                return null;
            }
            return manifest;
        } catch (JacksonException e) {
            problems.add("the manifest (line " + line + ") cannot be read: " + e.getOriginalMessage());
            return null;
        }
    }

    private static FileEvent event(JsonNode node, int line, List<String> problems) {
        JsonNode sequence = node.get(AuditFile.SEQUENCE);
        if (sequence == null || !sequence.isIntegralNumber()) {
            problems.add("line " + line + " has no " + AuditFile.SEQUENCE + ": the file was changed");
            return null;
        }
        long seq = sequence.asLong();
        String id = node.path("id").asString(null);
        String type = node.path("type").asString(null);
        JsonNode data = node.get("data");
        if (id == null || type == null || data == null || !data.isObject()) {
            problems.add("event sequence " + seq + " (line " + line + ") lacks its id, type or data");
            return null;
        }
        return new FileEvent(line, seq, id, type, node.path("subject").asString(null), data,
                node.path(AuditFile.HASH).asString(null));
    }

    private static String after(List<FileEvent> events) {
        return events.isEmpty() ? " (before the first event)"
                : " (after event sequence " + events.get(events.size() - 1).sequence() + ")";
    }

    private static void checkSequence(AuditManifest manifest, List<FileEvent> events, List<String> problems) {
        if (manifest.count() != events.size()) {
            problems.add("the manifest counts " + manifest.count() + " events, the file holds " + events.size());
        }
        Set<Long> seen = new HashSet<>();
        FileEvent previous = null;
        for (FileEvent event : events) {
            if (!seen.add(event.sequence())) {
                problems.add("event sequence " + event.sequence() + " appears more than once (line " + event.line()
                        + ")");
            } else if (previous != null && event.sequence() < previous.sequence()) {
                problems.add("event sequence " + event.sequence() + " is out of order: line " + event.line()
                        + " comes after event sequence " + previous.sequence());
            }
            previous = event;
        }
        if (manifest.firstSequence() == null || manifest.lastSequence() == null) {
            return;
        }
        for (long sequence = manifest.firstSequence(); sequence <= manifest.lastSequence(); sequence++) {
            if (!seen.contains(sequence)) {
                problems.add("event sequence " + sequence + " is missing");
            }
        }
        seen.stream().filter(s -> s < manifest.firstSequence() || s > manifest.lastSequence()).sorted()
                .forEach(s -> problems.add("event sequence " + s + " is outside the manifest's range "
                        + manifest.firstSequence() + "–" + manifest.lastSequence()));
    }

    /** In sequence order, so a reordering is reported once (above), not again as a broken link. */
    private static void checkChain(AuditManifest manifest, List<FileEvent> events, List<String> problems) {
        String previousHash = manifest.previousHash();
        Long previousSequence = manifest.firstSequence() == null ? null : manifest.firstSequence() - 1;
        for (FileEvent event : bySequence(events)) {
            boolean linked = previousSequence != null && event.sequence() == previousSequence + 1;
            if (!manifest.ledgerId().equals(event.subject())) {
                problems.add("event sequence " + event.sequence() + " belongs to ledger " + event.subject() + ", not "
                        + manifest.ledgerId());
            }
            if (!EventHash.isHash(event.hash())) {
                problems.add("event sequence " + event.sequence() + " has no valid " + AuditFile.HASH);
            } else if (linked) {
                String computed = EventHash.of(previousHash, manifest.ledgerId(), event.sequence(), event.id(),
                        event.type(), AuditFile.payload(event.data()));
                if (!computed.equals(event.hash())) {
                    problems.add("event sequence " + event.sequence() + " was altered: its content does not give its "
                            + AuditFile.HASH);
                }
            }
            // A gap was reported above; the event after it cannot be linked, but the chain resumes from its hash.
            previousHash = event.hash();
            previousSequence = event.sequence();
        }
        if (!events.isEmpty() && !manifest.lastHash().equals(previousHash)) {
            problems.add("the manifest's last_hash is not the hash of event sequence " + previousSequence);
        }
        if (events.isEmpty() && !manifest.lastHash().equals(manifest.previousHash())) {
            problems.add("the manifest's last_hash differs from its previous_hash, yet the file holds no event");
        }
    }

    private static void checkReplay(AuditManifest manifest, List<FileEvent> events, List<String> problems) {
        LedgerState state;
        if (manifest.openingState() == null || manifest.openingState().isNull()) {
            state = new LedgerState();
        } else {
            state = LedgerStateJson.read(TallyJson.mapper().writeValueAsBytes(manifest.openingState()));
        }
        for (FileEvent event : bySequence(events)) {
            try {
                Class<?> type = LedgerMessageTypes.ofCeType(event.type()).javaType();
                state.apply((LedgerEvent) TallyJson.read(AuditFile.payload(event.data()), type));
            } catch (RuntimeException e) {
                problems.add("replay stopped at event sequence " + event.sequence() + ": " + e.getMessage());
                return;
            }
        }
        LedgerSnapshot replayed = state.snapshot();
        for (String difference : SnapshotComparison.differences(manifest.closing(), replayed, "manifest", "replay")) {
            problems.add("balances differ: " + difference);
        }
    }

    private static List<FileEvent> bySequence(List<FileEvent> events) {
        TreeMap<Long, FileEvent> sorted = new TreeMap<>();
        events.forEach(event -> sorted.putIfAbsent(event.sequence(), event));
        return new ArrayList<>(sorted.values());
    }
}
