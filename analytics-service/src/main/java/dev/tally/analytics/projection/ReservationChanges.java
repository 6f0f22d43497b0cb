package dev.tally.analytics.projection;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a poll's events do to {@code open_reservation}, folded per reservation so that a whole poll is a few set-wise
 * statements yet ends exactly where the events applied one by one would: a reservation opens only if it is not open
 * yet ({@code CreditReserved}), a lease charge sets what an open lease still holds ({@code LeaseCharged}), and a
 * settlement, release or expiry closes it.
 *
 * <p>The table's state before the poll is not known here, so until a close is seen a reservation carries both
 * outcomes: the credits it would have if it was not open before the poll ({@link Fold#openWith}) and the last lease
 * charge's remainder, which is what it holds if it was ({@link Fold#lastRemaining}). {@link #write} order does the
 * rest: closes, then updates of rows that were open before the poll, then opens of rows that were not.
 */
final class ReservationChanges {

    private final Map<String, Fold> folds = new LinkedHashMap<>();

    void open(String reservationId, String orgId, long credits, OffsetDateTime at) {
        Fold fold = fold(reservationId);
        // A second CreditReserved of an id changes nothing, open before the poll or not.
        if (fold.openWith == null) {
            fold.openWith = new Opening(reservationId, orgId, credits, at);
        }
    }

    void holdOnly(String reservationId, long remaining) {
        Fold fold = fold(reservationId);
        if (fold.openWith != null) {
            fold.openWith = fold.openWith.holding(remaining);
        }
        if (!fold.closed) {
            fold.lastRemaining = remaining;
        }
    }

    void close(String reservationId) {
        Fold fold = fold(reservationId);
        fold.closed = true;
        fold.openWith = null;
        fold.lastRemaining = null;
    }

    /** Reservations to delete first: closed in this poll (some are opened again afterwards). */
    List<String> closes() {
        return folds.entrySet().stream().filter(e -> e.getValue().closed).map(Map.Entry::getKey).toList();
    }

    /** Then rows open before the poll that lease charges changed; a row this poll opens is not among them yet. */
    List<Opening> updates() {
        List<Opening> updates = new ArrayList<>();
        folds.forEach((id, fold) -> {
            if (!fold.closed && fold.lastRemaining != null) {
                updates.add(new Opening(id, null, fold.lastRemaining, null));
            }
        });
        return updates;
    }

    /** Last, rows to insert where none is open: the table keeps a row that was open before the poll. */
    List<Opening> openings() {
        return folds.values().stream().filter(f -> f.openWith != null).map(f -> f.openWith).toList();
    }

    private Fold fold(String reservationId) {
        return folds.computeIfAbsent(reservationId, id -> new Fold());
    }

    /** A row of open_reservation; {@code orgId} and {@code reservedAt} are null in an update. */
    record Opening(String reservationId, String orgId, long credits, OffsetDateTime reservedAt) {

        Opening holding(long remaining) {
            return new Opening(reservationId, orgId, remaining, reservedAt);
        }
    }

    private static final class Fold {
        /** A close was seen: from then on the row's state is known (absent, or opened again after the close). */
        boolean closed;
        /** The row this poll's events leave if the reservation was not open before (or was closed in between). */
        Opening openWith;
        /** Before any close: the remainder of the last lease charge, for a row that was open before the poll. */
        Long lastRemaining;
    }
}
