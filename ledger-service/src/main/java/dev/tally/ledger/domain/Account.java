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
        return Math.subtractExact(balance, reserved);
    }

    /**
     * Exact, like every change of a balance: the rules refuse a command whose events would pass what a long holds,
     * so this throws only if a rule missed one, and a wrapped balance is never recorded.
     */
    void add(long credits) {
        balance = Math.addExact(balance, credits);
    }

    void hold(long credits) {
        reserved = Math.addExact(reserved, credits);
    }

    /** Fails when holding {@code credits} more could not be counted; changes nothing. */
    void withHold(long credits) {
        Math.addExact(reserved, credits);
    }

    /** How far this account is overdrawn by critical reservations; zero when it is not. */
    long overdraft() {
        return Math.max(0, -available());
    }
}
