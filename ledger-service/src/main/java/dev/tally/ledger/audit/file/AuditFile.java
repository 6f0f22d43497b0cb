package dev.tally.ledger.audit.file;

import dev.tally.events.json.TallyJson;
import dev.tally.ledger.intake.LedgerRecords;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * The lines of an audit file (NDJSON). Each event is one CloudEvent in its JSON format (structured mode), with two
 * extension attributes: {@code tallysequence}, the event's sequence in its ledger, and {@code tallyhash}, its link in
 * the ledger's hash chain. The last line is the manifest, {@code {"manifest": {...}}}.
 */
public final class AuditFile {

    public static final String SEQUENCE = "tallysequence";
    public static final String HASH = "tallyhash";
    public static final String MANIFEST = "manifest";

    private AuditFile() {
    }

    public static String eventLine(String ledgerId, String eventId, long sequence, String ceType, Instant time,
            JsonNode data, String hash) {
        ObjectNode line = TallyJson.mapper().createObjectNode();
        line.put("specversion", "1.0");
        line.put("id", eventId);
        line.put("source", LedgerRecords.SOURCE);
        line.put("type", ceType);
        line.put("subject", ledgerId);
        line.put("time", time.toString());
        line.put("datacontenttype", "application/json");
        line.put(SEQUENCE, sequence);
        line.put(HASH, hash);
        line.set("data", data);
        return line.toString();
    }

    public static String manifestLine(AuditManifest manifest) {
        ObjectNode line = TallyJson.mapper().createObjectNode();
        line.set(MANIFEST, TallyJson.mapper().valueToTree(manifest));
        return line.toString();
    }

    /** The bytes the chain hashes for {@code data}: Tally's compact JSON, as the event store and Kafka hold it. */
    public static byte[] payload(JsonNode data) {
        return TallyJson.mapper().writeValueAsBytes(data);
    }
}
