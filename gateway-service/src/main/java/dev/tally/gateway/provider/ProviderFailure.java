package dev.tally.gateway.provider;

/**
 * A provider answered with an error status (or could not be reached: status 0). 429 and 5xx are worth a retry and
 * count against the provider's circuit breaker; 4xx are the request's fault.
 */
public class ProviderFailure extends RuntimeException {

    private final int status;

    public ProviderFailure(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public boolean retryable() {
        return status == 0 || status == 429 || status >= 500;
    }
}
