package dev.tally.gateway.provider;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Where an OpenAI-compatible provider serves an API and how it takes its key: the two things in which Azure OpenAI
 * (and Gemini's compatible endpoint) differ from OpenAI, so that the wire format, usage and streaming stay in
 * {@link OpenAiCompatibleProvider} alone.
 */
public interface UpstreamAddress {

    /**
     * The request's URI relative to the provider's base URL, for {@code api}: the request's own, or chat completions
     * for a request translated to it.
     */
    String uri(ProviderRequest request, UpstreamApi api);

    /** Puts the key on the request (the key is neither null nor blank). */
    WebClient.RequestBodySpec authenticate(WebClient.RequestBodySpec spec, String key);

    /** OpenAI's own: {@code <base-url>/chat/completions…}, {@code Authorization: Bearer <key>}. */
    static UpstreamAddress openAi() {
        return new UpstreamAddress() {
            @Override
            public String uri(ProviderRequest request, UpstreamApi api) {
                return api.path();
            }

            @Override
            public WebClient.RequestBodySpec authenticate(WebClient.RequestBodySpec spec, String key) {
                return spec.header(HttpHeaders.AUTHORIZATION, "Bearer " + key);
            }
        };
    }
}
