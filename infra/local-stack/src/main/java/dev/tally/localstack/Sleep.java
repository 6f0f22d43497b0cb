package dev.tally.localstack;

/** Polling pauses; an interrupt ends the wait and is passed on as a StackException, keeping the flag set. */
final class Sleep {

    private Sleep() {
    }

    static void millis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }
}
