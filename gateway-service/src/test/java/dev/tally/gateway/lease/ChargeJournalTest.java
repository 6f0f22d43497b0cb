package dev.tally.gateway.lease;

import dev.tally.events.ledger.LeaseCharge;
import dev.tally.events.ledger.LeaseSettlement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChargeJournalTest {

    @TempDir
    Path directory;

    @Test
    void what_was_settled_is_not_outstanding_at_the_next_open() {
        try (ChargeJournal journal = new ChargeJournal(directory, 1 << 20)) {
            append(journal, ChargeJournal.JournalRecord.charge("org", "lease-1", charge("r1")));
            append(journal, ChargeJournal.JournalRecord.charge("org", "lease-1", charge("r2")));
            append(journal, ChargeJournal.JournalRecord.charge("org", "lease-1", charge("r3")));
            append(journal, ChargeJournal.JournalRecord.sent("org", "c1", List.of(settlement("lease-1", "r1"))));
            append(journal, ChargeJournal.JournalRecord.answered("c1"));
            append(journal, ChargeJournal.JournalRecord.sent("org", "c2", List.of(settlement("lease-1", "r2"))));
        }

        try (ChargeJournal reopened = new ChargeJournal(directory, 1 << 20)) {
            ChargeJournal.Outstanding outstanding = reopened.recovered();
            assertThat(outstanding.unansweredCommands()).extracting(ChargeJournal.JournalRecord::commandId)
                    .containsExactly("c2");
            assertThat(outstanding.unsentCharges()).extracting(r -> r.charge().requestId()).containsExactly("r3");
        }
    }

    /** A process that died while writing a line left it torn; its answer never left, so it is not a charge. */
    @Test
    void a_torn_last_line_is_ignored() throws Exception {
        try (ChargeJournal journal = new ChargeJournal(directory, 1 << 20)) {
            append(journal, ChargeJournal.JournalRecord.charge("org", "lease-1", charge("r1")));
        }
        Files.writeString(segments().get(0), "{\"kind\":\"charge\",\"org_id\":\"or", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        try (ChargeJournal reopened = new ChargeJournal(directory, 1 << 20)) {
            assertThat(reopened.recovered().unsentCharges()).extracting(r -> r.charge().requestId())
                    .containsExactly("r1");
        }
    }

    @Test
    void past_its_size_the_journal_continues_in_a_new_file_with_only_what_is_outstanding() throws Exception {
        try (ChargeJournal journal = new ChargeJournal(directory, 2_000)) {
            for (int i = 0; i < 50; i++) {
                append(journal, ChargeJournal.JournalRecord.charge("org", "lease-1", charge("r" + i)));
                append(journal, ChargeJournal.JournalRecord.sent("org", "c" + i, List.of(settlement("lease-1",
                        "r" + i))));
                append(journal, ChargeJournal.JournalRecord.answered("c" + i));
            }
            append(journal, ChargeJournal.JournalRecord.charge("org", "lease-1", charge("last")));
            assertThat(segments()).hasSize(1);
            assertThat(Files.size(segments().get(0))).isLessThan(2_000 + 1_000);
        }
        try (ChargeJournal reopened = new ChargeJournal(directory, 2_000)) {
            assertThat(reopened.recovered().unsentCharges()).extracting(r -> r.charge().requestId())
                    .containsExactly("last");
            assertThat(reopened.recovered().unansweredCommands()).isEmpty();
        }
    }

    @Test
    void one_process_at_a_time() {
        try (ChargeJournal journal = new ChargeJournal(directory, 1 << 20)) {
            assertThatThrownBy(() -> new ChargeJournal(directory, 1 << 20))
                    .hasMessageContaining("in use by another gateway process");
        }
    }

    private static void append(ChargeJournal journal, ChargeJournal.JournalRecord record) {
        assertThat(journal.append(record)).succeedsWithin(Duration.ofSeconds(5));
    }

    private static LeaseCharge charge(String requestId) {
        return new LeaseCharge(requestId, 5, 4, 10, 20, "gpt-4o-mini", "openai");
    }

    private static LeaseSettlement settlement(String leaseId, String requestId) {
        return new LeaseSettlement(leaseId, List.of(charge(requestId)), false, null);
    }

    private List<Path> segments() throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().startsWith("charges-")).sorted().toList();
        }
    }
}
