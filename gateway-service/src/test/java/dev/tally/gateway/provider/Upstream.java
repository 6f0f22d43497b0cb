package dev.tally.gateway.provider;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/** A WebClient whose every request gets one canned answer, to test a provider's parsing without a network. */
final class Upstream {

    private Upstream() {
    }

    static WebClient json(String body) {
        return answering("application/json", body);
    }

    /** Server-Sent Events, one {@code data:} line per event. */
    static WebClient events(String... data) {
        StringBuilder body = new StringBuilder();
        for (String d : data) {
            body.append("data: ").append(d).append("\n\n");
        }
        return answering("text/event-stream", body.toString());
    }

    private static WebClient answering(String contentType, String body) {
        return WebClient.builder().exchangeFunction(request -> Mono.just(ClientResponse.create(HttpStatus.OK)
                .header(HttpHeaders.CONTENT_TYPE, contentType).body(body).build())).build();
    }
}
