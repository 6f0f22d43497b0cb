package dev.tally.gateway.api;

import dev.tally.gateway.auth.KeyAuthenticator;
import dev.tally.gateway.auth.Principal;
import dev.tally.gateway.policy.EffectivePolicy;
import dev.tally.gateway.policy.PolicyResolver;
import dev.tally.gateway.provider.ProviderRouter;
import dev.tally.gateway.state.GovernanceView;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
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
                .filter(p -> policy.allows(p.model()) && providers.knows(p.provider()))
                .sorted(Comparator.comparing(p -> p.model()))
                .map(p -> new Model(p.model(), "model", p.updatedAt().getEpochSecond(), p.provider()))
                .toList();
        return new ModelList("list", models);
    }

}
