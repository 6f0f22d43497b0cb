package dev.tally.ledger.audit.cli;

import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.ledger.audit.chain.EventHash;
import dev.tally.ledger.audit.file.AuditFile;
import dev.tally.ledger.audit.file.AuditManifest;
import dev.tally.ledger.domain.LedgerState;
import dev.tally.ledger.domain.LedgerStateJson;
import tools.jackson.databind.JsonNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * {@code export --org ID [--from T] [--to T] --out FILE}: pages through the ledger's events from its first one, since
 * both the chain hash and the opening balances of a window depend on everything before it, and writes the events
 * stored in {@code [from, to)} and the manifest. The file appears only once complete.
 */
final class ExportCommand {

    private final LedgerApi api;
    private final PrintStream progress;

    ExportCommand(LedgerApi api, PrintStream progress) {
        this.api = api;
        this.progress = progress;
    }

    AuditManifest export(String ledgerId, Instant from, Instant to, Path target) throws IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        LedgerState state = new LedgerState();
        String hash = EventHash.GENESIS;
        String previousHash = null;
        JsonNode openingState = null;
        Long first = null;
        Long last = null;
        long count = 0;
        long read = 0;
        boolean any = false;
        try (BufferedWriter writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            long after = -1;
            boolean done = false;
            while (!done) {
                LedgerApi.EventPage page = api.events(ledgerId, after);
                for (JsonNode line : page.events()) {
                    any = true;
                    long sequence = line.path("sequence").asLong();
                    Instant time = Instant.parse(line.path("time").asString());
                    if (to != null && !time.isBefore(to)) {
                        done = true;
                        break;
                    }
                    String eventId = line.path("event_id").asString();
                    String type = line.path("type").asString();
                    JsonNode data = line.path("data");
                    byte[] payload = AuditFile.payload(data);
                    String before = hash;
                    hash = EventHash.of(before, ledgerId, sequence, eventId, type, payload);
                    String stored = line.path("hash").asString(null);
                    if (stored != null && !stored.equals(hash)) {
                        throw new LedgerApi.ApiFailure("event sequence " + sequence + " of ledger " + ledgerId
                                + " does not give its stored chain hash: the event store was changed (run verify"
                                + " --org " + ledgerId + ")");
                    }
                    boolean inWindow = from == null || !time.isBefore(from);
                    if (inWindow) {
                        if (first == null) {
                            first = sequence;
                            previousHash = before;
                            openingState = sequence == 0 ? null
                                    : TallyJson.mapper().readTree(LedgerStateJson.write(state));
                        }
                        writer.write(AuditFile.eventLine(ledgerId, eventId, sequence, type, time, data, hash));
                        writer.write('\n');
                        last = sequence;
                        count++;
                    }
                    state.apply((LedgerEvent) TallyJson.read(payload,
                            LedgerMessageTypes.ofCeType(type).javaType()));
                    read++;
                }
                if (page.nextAfter() == null) {
                    done = true;
                } else {
                    after = page.nextAfter();
                    progress.println("export: " + read + " events read, " + count + " written");
                }
            }
            if (!any) {
                throw new LedgerApi.ApiFailure("ledger " + ledgerId + " has no events");
            }
            if (first == null) {
                // An empty window: it proves only where the chain stood and what the balances were.
                previousHash = hash;
                openingState = TallyJson.mapper().readTree(LedgerStateJson.write(state));
            }
            AuditManifest manifest = new AuditManifest(AuditManifest.FORMAT, ledgerId, from, to, Instant.now(), count,
                    first, last, previousHash, hash, openingState, state.snapshot());
            writer.write(AuditFile.manifestLine(manifest));
            writer.write('\n');
            writer.close();
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return manifest;
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
