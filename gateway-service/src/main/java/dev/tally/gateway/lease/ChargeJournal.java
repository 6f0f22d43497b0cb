package dev.tally.gateway.lease;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.LeaseCharge;
import dev.tally.events.ledger.LeaseSettlement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;

/**
 * This replica's write-ahead log of charges: a request's charge is on disk (fsync) before its answer's last byte
 * leaves, so a gateway killed at any moment has served nothing free; at the next start the charges it had not
 * settled are sent again. The settlements themselves still go to the ledger in batches, one command per organisation
 * per settlement window: durability costs a local fsync shared by every charge that arrived meanwhile (a group
 * commit), not a ledger command per request.
 *
 * <p>Three kinds of record, one JSON line each: {@code charge} (a request's charge, before its answer goes),
 * {@code sent} (a settlement command with its id, before it goes to Kafka) and {@code answered} (the ledger confirmed
 * that command). A charge in no sent command, or a sent command never answered, is outstanding. Sending an
 * outstanding command again with its own id is safe (the ledger applies a command id once); a charge in no command is
 * sent in a new one. When the log passes {@code maxBytes} it continues in a new segment that starts with what is
 * outstanding, and the old one is deleted.
 *
 * <p>One writer thread does all the writing, so records are on disk in the order appended.
 */
final class ChargeJournal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChargeJournal.class);
    private static final String PREFIX = "charges-";
    private static final String SUFFIX = ".log";

    /** One line of the journal. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record JournalRecord(String kind, String orgId, String leaseId, LeaseCharge charge, String commandId,
            List<LeaseSettlement> leases) {

        static JournalRecord charge(String orgId, String leaseId, LeaseCharge charge) {
            return new JournalRecord("charge", orgId, leaseId, charge, null, null);
        }

        static JournalRecord sent(String orgId, String commandId, List<LeaseSettlement> leases) {
            return new JournalRecord("sent", orgId, null, null, commandId, leases);
        }

        static JournalRecord answered(String commandId) {
            return new JournalRecord("answered", null, null, null, commandId, null);
        }
    }

    /** What a previous run left unsettled: commands to send again as they were, charges to send in new ones. */
    record Outstanding(List<JournalRecord> unansweredCommands, List<JournalRecord> unsentCharges) {

        boolean isEmpty() {
            return unansweredCommands.isEmpty() && unsentCharges.isEmpty();
        }
    }

    private record Pending(JournalRecord record, CompletableFuture<Void> written) {
    }

    private final Path directory;
    private final long maxBytes;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    /** Written and not settled yet: by request id, and by command id. Touched by the writer thread only. */
    private final Map<String, JournalRecord> unsentCharges = new LinkedHashMap<>();
    private final Map<String, JournalRecord> unansweredCommands = new LinkedHashMap<>();
    private final Outstanding recovered;
    private FileChannel segment;
    private long segmentNumber;
    private volatile boolean closed;

    /**
     * Opens the journal in {@code directory} (created if needed; one gateway process at a time: it is locked) and
     * reads what a previous run left outstanding ({@link #recovered()}).
     */
    ChargeJournal(Path directory, long maxBytes) {
        this.directory = directory;
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(directory);
            lockChannel = FileChannel.open(directory.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock taken;
            try {
                taken = lockChannel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException sameProcess) {
                taken = null;
            }
            lock = taken;
            if (lock == null) {
                lockChannel.close();
                throw new IllegalStateException("The charge journal " + directory + " is in use by another gateway "
                        + "process; give each replica its own tally.gateway.journal.directory.");
            }
            List<Path> segments = segments();
            for (Path old : segments) {
                readSegment(old);
            }
            recovered = new Outstanding(List.copyOf(unansweredCommands.values()),
                    List.copyOf(unsentCharges.values()));
            segmentNumber = segments.isEmpty() ? 0 : number(segments.get(segments.size() - 1));
            startSegment(segments);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the charge journal in " + directory, e);
        }
        writer = new Thread(this::writeLoop, "charge-journal");
        writer.setDaemon(true);
        writer.start();
    }

    /** What the previous run of this replica left unsettled, as read at open. */
    Outstanding recovered() {
        return recovered;
    }

    /** Appends the record; the future completes once it is on disk (fsync), or fails if it cannot be written. */
    CompletableFuture<Void> append(JournalRecord record) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        if (closed) {
            written.completeExceptionally(new IllegalStateException("the charge journal is closed"));
            return written;
        }
        queue.add(new Pending(record, written));
        return written;
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    /** Writes the batch with one fsync: a group commit. */
    private void write(List<Pending> batch) {
        try {
            StringBuilder lines = new StringBuilder();
            for (Pending pending : batch) {
                lines.append(TallyJson.mapper().writeValueAsString(pending.record())).append('\n');
                track(pending.record());
            }
            ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                segment.write(bytes);
            }
            segment.force(false);
            batch.forEach(pending -> pending.written().complete(null));
            if (segment.size() > maxBytes) {
                startSegment(segments());
            }
        } catch (IOException | RuntimeException e) {
            log.error("Writing the charge journal failed; answers go without it", e);
            batch.forEach(pending -> pending.written().completeExceptionally(e));
        }
    }

    /** Keeps what is outstanding up to date with a record written (or read back). */
    private void track(JournalRecord record) {
        switch (record.kind()) {
            case "charge" -> unsentCharges.put(record.charge().requestId(), record);
            case "sent" -> {
                unansweredCommands.put(record.commandId(), record);
                for (LeaseSettlement lease : record.leases()) {
                    lease.charges().forEach(charge -> unsentCharges.remove(charge.requestId()));
                }
            }
            case "answered" -> unansweredCommands.remove(record.commandId());
            default -> log.warn("Ignoring a charge journal record of unknown kind {}", record.kind());
        }
    }

    private void readSegment(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                track(TallyJson.mapper().readValue(line, JournalRecord.class));
            } catch (RuntimeException e) {
                // Only the last line can be torn (the process died while writing it; its answer never left).
                if (i < lines.size() - 1) {
                    throw new IllegalStateException("charge journal " + file + " line " + (i + 1) + " is unreadable",
                            e);
                }
                log.warn("Ignoring the torn last line of {}", file);
            }
        }
    }

    /**
     * Continues in a new segment that starts with everything outstanding, then deletes the older segments: what they
     * hold beyond it is settled.
     */
    private void startSegment(List<Path> older) throws IOException {
        segmentNumber++;
        Path next = directory.resolve(PREFIX + String.format("%012d", segmentNumber) + SUFFIX);
        FileChannel channel = FileChannel.open(next, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        StringBuilder lines = new StringBuilder();
        for (JournalRecord record : unsentCharges.values()) {
            lines.append(TallyJson.mapper().writeValueAsString(record)).append('\n');
        }
        for (JournalRecord record : unansweredCommands.values()) {
            lines.append(TallyJson.mapper().writeValueAsString(record)).append('\n');
        }
        ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(true);
        if (segment != null) {
            segment.close();
        }
        segment = channel;
        for (Path old : older) {
            Files.deleteIfExists(old);
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().startsWith(PREFIX)
                            && f.getFileName().toString().endsWith(SUFFIX))
                    .sorted()
                    .toList();
        }
    }

    private static long number(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    }

    /** The records still outstanding, for tests. */
    Set<String> outstandingIds() {
        Set<String> ids = new HashSet<>(unsentCharges.keySet());
        ids.addAll(unansweredCommands.keySet());
        return ids;
    }

    /** Writes what is queued, then closes. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            segment.close();
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            log.warn("Closing the charge journal failed", e);
        }
    }
}
