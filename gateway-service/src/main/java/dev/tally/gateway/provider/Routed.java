package dev.tally.gateway.provider;

/** A result and the provider that produced it (a fallback provider, when the first one failed). */
public record Routed<T>(String provider, T result) {
}
