package dev.tally.ledger.domain;

import dev.tally.events.json.TallyJson;

/** The folded state as bytes, so the balances projection can resume a ledger without replaying it. */
public final class LedgerStateJson {

    private LedgerStateJson() {
    }

    public static byte[] write(LedgerState state) {
        return TallyJson.write(state);
    }

    public static LedgerState read(byte[] json) {
        return TallyJson.read(json, LedgerState.class);
    }
}
