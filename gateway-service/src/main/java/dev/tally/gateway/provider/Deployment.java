package dev.tally.gateway.provider;

/**
 * One place a model is served: a configured provider (its base URL and platform key, or the organisation's BYOK key
 * for it) and the model name that provider knows it by. Its circuit breaker and cooldown are its own.
 */
public record Deployment(String provider, String model, int weight) {

    public Deployment {
        weight = Math.max(1, weight);
    }

    public String id() {
        return provider + "/" + model;
    }
}
