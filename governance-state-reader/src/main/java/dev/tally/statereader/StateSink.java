package dev.tally.statereader;

import dev.tally.events.governance.GovernanceState;

/** Where {@link GovernanceStateReader} puts what it reads; called on the reader's thread, one record at a time. */
public interface StateSink {

    /** A record of the topic: {@code state} replaces whatever {@code key} held before. */
    void apply(String key, GovernanceState state);

    /** A tombstone: whatever {@code key} held is gone. */
    void remove(String key);
}
