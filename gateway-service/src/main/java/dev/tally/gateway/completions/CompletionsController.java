package dev.tally.gateway.completions;

import dev.tally.gateway.api.RouteServer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** OpenAI's legacy completions, non-streamed and streamed, governed like chat. */
@RestController
public class CompletionsController {

    private final RouteServer server;
    private final CompletionsRoute route;

    public CompletionsController(RouteServer server, CompletionsRoute route) {
        this.server = server;
        this.route = route;
    }

    @PostMapping(path = {"/v1/completions", "/gateway/v1/completions"})
    public Mono<ResponseEntity<?>> completions(@RequestHeader HttpHeaders headers,
            @RequestBody(required = false) byte[] body) {
        RouteServer.requireJson(headers);
        return server.serve(route, headers, body);
    }
}
