package dev.tally.gateway.chat;

import dev.tally.gateway.api.RouteServer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** OpenAI's chat completions, governed: a drop-in for any OpenAI client (change the base URL and the key). */
@RestController
public class ChatController {

    private final RouteServer server;
    private final ChatRoute route;

    public ChatController(RouteServer server, ChatRoute route) {
        this.server = server;
        this.route = route;
    }

    @PostMapping(path = {"/v1/chat/completions", "/gateway/v1/chat/completions"})
    public Mono<ResponseEntity<?>> chat(@RequestHeader HttpHeaders httpHeaders,
            @RequestBody(required = false) byte[] body) {
        RouteServer.requireJson(httpHeaders);
        return server.serve(route, httpHeaders, body);
    }
}
