package dev.tally.gateway.api;

import dev.tally.events.governance.PriceState;
import dev.tally.gateway.auth.KeyAuthenticator;
import dev.tally.gateway.auth.Principal;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.policy.EffectivePolicy;
import dev.tally.gateway.policy.PolicyResolver;
import dev.tally.gateway.provider.ProviderRouter;
import dev.tally.gateway.state.GovernanceView;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.util.Comparator;
import java.util.List;

/** OpenAI's model list, narrowed to what this key's policies allow and this gateway can route. */
@RestController
public class ModelsController {

    public record Model(String id, String object, long created, String ownedBy) {
    }

    public record ModelList(String object, List<Model> data) {
    }

    private final KeyAuthenticator authenticator;
    private final PolicyResolver policies;
    private final GovernanceView view;
    private final ProviderRouter providers;

    public ModelsController(KeyAuthenticator authenticator, PolicyResolver policies, GovernanceView view,
            ProviderRouter providers) {
        this.authenticator = authenticator;
        this.policies = policies;
        this.view = view;
        this.providers = providers;
    }

    @GetMapping(path = {"/v1/models", "/gateway/v1/models"})
    public ModelList models(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        Principal principal = authenticator.authenticate(authorization);
        EffectivePolicy policy = policies.resolve(principal.chain());
        List<Model> models = view.prices().stream()
                .filter(p -> usable(policy, p))
                .sorted(Comparator.comparing(p -> p.model()))
                .map(ModelsController::model)
                .toList();
        return new ModelList("list", models);
    }

    /**
     * One model of the list, by id; a model this key may not use is not found, as OpenAI answers for a model an
     * account cannot see.
     */
    @GetMapping(path = {"/v1/models/{id}", "/gateway/v1/models/{id}"})
    public Model model(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable("id") String id) {
        Principal principal = authenticator.authenticate(authorization);
        EffectivePolicy policy = policies.resolve(principal.chain());
        return view.price(id).filter(p -> usable(policy, p)).map(ModelsController::model)
                .orElseThrow(() -> GatewayException.notFound("model_not_found", "The model '" + id
                        + "' does not exist or you do not have access to it.", "model"));
    }

    /** Priced, allowed by every policy on the key's chain, and with a provider this gateway is configured for. */
    private boolean usable(EffectivePolicy policy, PriceState price) {
        return policy.allows(price.model()) && providers.knows(price.provider());
    }

    private static Model model(PriceState price) {
        return new Model(price.model(), "model", price.updatedAt().getEpochSecond(), price.provider());
    }

}
