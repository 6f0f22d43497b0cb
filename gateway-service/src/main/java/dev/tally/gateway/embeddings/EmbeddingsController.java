package dev.tally.gateway.embeddings;

import dev.tally.gateway.api.RouteServer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** OpenAI's embeddings, governed like chat. */
@RestController
public class EmbeddingsController {

    private final RouteServer server;
    private final EmbeddingsRoute route;

    public EmbeddingsController(RouteServer server, EmbeddingsRoute route) {
        this.server = server;
        this.route = route;
    }

    @PostMapping(path = {"/v1/embeddings", "/gateway/v1/embeddings"})
    public Mono<ResponseEntity<?>> embeddings(@RequestHeader HttpHeaders headers,
            @RequestBody(required = false) byte[] body) {
        RouteServer.requireJson(headers);
        return server.serve(route, headers, body);
    }
}
