package dev.tally.ledger.audit.chain;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain as docs/audit.md defines it, so anyone can recompute it without Tally: the expected values were computed
 * with Python's hashlib from that definition, not with this code.
 */
class EventHashTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void a_ledgers_first_event_is_hashed_onto_32_zero_bytes_with_its_header_and_json() {
        String hash = EventHash.of(EventHash.GENESIS, "org-acme", 0, "event-1", "tally.ledger.LedgerOpened.v1",
                utf8("{\"ledger_id\":\"org-acme\"}"));

        assertThat(hash).isEqualTo("474f124a53f327b3c554d398163e91d497c21a013d06866e0804594efac048d5");
    }

    @Test
    void the_next_event_is_hashed_onto_the_previous_hash_and_its_header_is_utf8() {
        String hash = EventHash.of("474f124a53f327b3c554d398163e91d497c21a013d06866e0804594efac048d5", "org-acme", 1,
                "évent-2", "tally.ledger.CreditsPurchased.v1", utf8("{\"credits\":1000}"));

        assertThat(hash).isEqualTo("759283e7157bdc11e2d13c130585be47de7b20efca9de824f2fc208d3384b322");
    }

    @Test
    void only_64_lowercase_hex_digits_are_a_hash() {
        assertThat(EventHash.isHash(EventHash.GENESIS)).isTrue();
        assertThat(EventHash.isHash("474F124A53F327B3C554D398163E91D497C21A013D06866E0804594EFAC048D5")).isFalse();
        assertThat(EventHash.isHash("474f")).isFalse();
        assertThat(EventHash.isHash(null)).isFalse();
    }
}
