package dev.tally.gateway.policy;

import dev.tally.events.governance.PolicyState;
import dev.tally.events.ledger.Scope;
import dev.tally.gateway.state.GovernanceView;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

@Component
public class PolicyResolver {

    private final GovernanceView view;

    public PolicyResolver(GovernanceView view) {
        this.view = view;
    }

    /** @param scopes the member's chain, org first, plus the request's project if it names one */
    public EffectivePolicy resolve(List<Scope> scopes) {
        List<Collection<PolicyState>> levels = new ArrayList<>(scopes.size());
        for (Scope scope : scopes) {
            levels.add(view.policiesAt(scope));
        }
        return EffectivePolicy.merge(levels);
    }
}
