package dev.tally.analytics.projection;

import dev.tally.analytics.directory.StateTopicConsumer;
import dev.tally.servicekit.auth.Caller;
import dev.tally.servicekit.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.LinkedHashMap;
import java.util.Map;

@RestController
public class ProjectionController {

    private final Rebuild rebuild;
    private final LagMonitor lag;
    private final StateTopicConsumer state;

    public ProjectionController(Rebuild rebuild, LagMonitor lag, StateTopicConsumer state) {
        this.rebuild = rebuild;
        this.lag = lag;
        this.state = state;
    }

    /** Platform admins only: a rebuild empties every organisation's tables until the replay catches up. */
    @PostMapping("/admin/rebuild")
    Mono<ResponseEntity<Map<String, Object>>> rebuild(Caller caller) {
        caller.requirePlatformAdmin();
        // Stopping the consumers blocks until their in-flight records are written: off the event loop.
        return Mono.fromCallable(rebuild::run).subscribeOn(Schedulers.boundedElastic()).map(started -> {
            if (!started) {
                throw new ApiException(HttpStatus.CONFLICT, "rebuild_running", "a rebuild is already running",
                        null, null);
            }
            return ResponseEntity.accepted().body(Map.of("status", "rebuilding",
                    "detail", "projections emptied; replaying from offset zero; GET /health shows the lag"));
        });
    }

    /** Unauthenticated, for load balancers and people: UP once the admin keys are loaded, with the projection lag. */
    @GetMapping("/health")
    ResponseEntity<Map<String, Object>> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", state.ready() ? "UP" : "LOADING");
        body.put("governance_state", state.ready() ? "loaded" : "loading");
        body.put("lag", lag.lag());
        return ResponseEntity.status(state.ready() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }
}
