package dev.tally.gateway.provider;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A model provider spoken to in its own wire format; requests and answers cross this interface in OpenAI's. */
public interface ChatProvider {

    Mono<ProviderResponse> complete(ProviderRequest request);

    /** Chunks in order; the last one carries the usage when the provider reports it. */
    Flux<StreamChunk> stream(ProviderRequest request);
}
