package dev.tally.servicekit.auth;

import org.springframework.http.server.PathContainer;
import org.springframework.web.server.ServerWebExchange;

import java.util.regex.Pattern;

/**
 * The one actuator rule of every Tally service: health, liveness and readiness are open, so an orchestrator probes
 * without a key; every other actuator endpoint (metrics, info, the index) needs a platform admin key, because what
 * runs, which versions and how busy it is helps an attacker and concerns no tenant.
 */
public final class ActuatorPaths {

    private static final Pattern MULTIPLE_SLASHES = Pattern.compile("/{2,}");

    private ActuatorPaths() {
    }

    /**
     * The request's path as the handler mappings will match it: segments percent-decoded, matrix variables dropped,
     * repeated slashes collapsed. A filter that judged the raw path would let {@code /%61ctuator/metrics} or
     * {@code /actuator;x=1/metrics} through to the endpoint it protects.
     */
    public static String pathOf(ServerWebExchange exchange) {
        StringBuilder path = new StringBuilder();
        for (PathContainer.Element element : exchange.getRequest().getPath().pathWithinApplication().elements()) {
            path.append(element instanceof PathContainer.PathSegment segment ? segment.valueToMatch()
                    : element.value());
        }
        return MULTIPLE_SLASHES.matcher(path).replaceAll("/");
    }

    public static boolean isHealthProbe(String path) {
        return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
    }

    public static boolean isOperatorEndpoint(String path) {
        return (path.equals("/actuator") || path.startsWith("/actuator/")) && !isHealthProbe(path);
    }
}
