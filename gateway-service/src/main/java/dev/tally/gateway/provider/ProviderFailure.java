package dev.tally.gateway.provider;

/**
 * A provider answered with an error status (or could not be reached: status 0). 429 and 5xx are worth a retry and
 * count against the provider's circuit breaker; 4xx are the request's fault.
 */
public class ProviderFailure extends RuntimeException {

    private final int status;
    private final boolean contextLength;

    public ProviderFailure(int status, String message) {
        this(status, message, false);
    }

    /** @param contextLength the provider's 400 saying the prompt is longer than the model's context window */
    public ProviderFailure(int status, String message, boolean contextLength) {
        super(message);
        this.status = status;
        this.contextLength = contextLength;
    }

    /**
     * The prompt does not fit the model: another deployment of the same model would refuse it too, a model with a
     * longer context may not (a fallback chain's next step).
     */
    public boolean contextLength() {
        return contextLength;
    }

    public int status() {
        return status;
    }

    public boolean retryable() {
        return status == 0 || status == 429 || status >= 500;
    }
}
