package dev.tally.servicekit.secret;

import java.util.List;

/**
 * What a re-encryption run did, answered to the platform admin who ran it: after a run with nothing
 * {@code unreadable}, every stored value is under {@code keyId} and the other keys can be removed.
 *
 * @param keyId          the current key, which every re-encrypted value is now under
 * @param reEncrypted    values sealed again by this run
 * @param alreadyCurrent values that were under the current key already (all of them on a rerun)
 * @param unreadable     the owners (credential, channel ids) whose value no configured key opens: their key was
 *                       removed too early; left as they are
 */
public record ReencryptionReport(String keyId, long reEncrypted, long alreadyCurrent, List<String> unreadable) {

    public enum Outcome { RE_ENCRYPTED, ALREADY_CURRENT, UNREADABLE }

    public record Result(String ownerId, Outcome outcome) {
    }

    public static ReencryptionReport of(String keyId, List<Result> results) {
        return new ReencryptionReport(keyId, count(results, Outcome.RE_ENCRYPTED),
                count(results, Outcome.ALREADY_CURRENT),
                results.stream().filter(r -> r.outcome() == Outcome.UNREADABLE).map(Result::ownerId).toList());
    }

    private static long count(List<Result> results, Outcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome).count();
    }
}
