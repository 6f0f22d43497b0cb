package dev.tally.gateway.provider;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;

/**
 * Deployments, load balancing and fallback chains per model (docs/providers.md). A model not listed here is served as
 * before: by the provider its price names, then that provider's {@code fallbacks}.
 *
 * @param models   the models with deployments or a fallback chain; a list, not a map, because model names hold
 *                 dots and slashes that Spring's map keys would strip
 * @param cooldown when a deployment of a listed model is left out of balancing for a while
 */
@ConfigurationProperties("tally.gateway.routing")
public record RoutingSettings(List<ModelRoute> models, Cooldown cooldown) {

    public RoutingSettings {
        models = models == null ? List.of() : List.copyOf(models);
        cooldown = cooldown == null ? new Cooldown(0, null, null) : cooldown;
    }

    /**
     * @param model       the model name clients send (it must have a price: the charge uses it)
     * @param strategy    {@code weighted} (random, in proportion to the weights; the default) or {@code least-busy}
     *                    (fewest calls in flight per unit of weight)
     * @param deployments where the model is served; none = the provider its price names, under its own name
     * @param fallbacks   other models to try, in order, when this one's deployments fail, its prompt is too long for
     *                    it, or a budget refuses it
     */
    public record ModelRoute(String model, String strategy, List<DeploymentSettings> deployments,
            List<String> fallbacks) {

        public ModelRoute {
            strategy = strategy == null || strategy.isBlank() ? "weighted" : strategy;
            deployments = deployments == null ? List.of() : List.copyOf(deployments);
            fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
        }
    }

    /**
     * @param provider a configured provider's name (its base URL and key, or the organisation's BYOK key for it)
     * @param model    the model name that provider serves it under; default: the name clients send
     * @param weight   its share of the requests (default 1)
     */
    public record DeploymentSettings(String provider, String model, Integer weight) {
    }

    /**
     * @param failures this many failures (5xx, timeouts, unreachable) within {@code window} cool a deployment down;
     *                 one 429 does at once
     * @param window   see {@code failures}
     * @param period   how long a cooled-down deployment is left out
     */
    public record Cooldown(int failures, Duration window, Duration period) {

        public Cooldown {
            failures = failures <= 0 ? 3 : failures;
            window = window == null ? Duration.ofSeconds(60) : window;
            period = period == null ? Duration.ofSeconds(30) : period;
        }
    }
}
