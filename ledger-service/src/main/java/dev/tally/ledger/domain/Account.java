package dev.tally.ledger.domain;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import dev.tally.events.ledger.AccountKind;

/** Mutable because it lives inside the aggregate; only {@link LedgerState#apply} changes it. */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
final class Account {

    AccountKind kind;
    long balance;
    long reserved;

    Account() {
    }

    Account(AccountKind kind) {
        this.kind = kind;
    }

    long available() {
        return balance - reserved;
    }

    /** How far this account is overdrawn by critical reservations; zero when it is not. */
    long overdraft() {
        return Math.max(0, -available());
    }
}
