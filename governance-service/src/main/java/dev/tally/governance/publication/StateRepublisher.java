package dev.tally.governance.publication;

import dev.tally.events.governance.GovernanceState;
import dev.tally.governance.auth.Caller;
import dev.tally.governance.budget.BudgetStore;
import dev.tally.governance.budget.Budget;
import dev.tally.governance.credential.Credential;
import dev.tally.governance.key.ApiKey;
import dev.tally.governance.key.ApiKeyStore;
import dev.tally.governance.org.AdminKeyStore;
import dev.tally.governance.policy.Policy;
import dev.tally.governance.policy.PolicyStore;
import dev.tally.governance.pricing.Price;
import dev.tally.governance.pricing.PriceStore;
import dev.tally.governance.project.ProjectMember;
import dev.tally.governance.project.ProjectMemberStore;
import dev.tally.governance.support.Tx;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.Map;

/**
 * Publishes the current state of everything again: after the state topic was lost or recreated, or to seed a new
 * cluster. Prices are republished on every start, because built-in prices arrive by the catalog and migrations, not
 * by API; admin keys too, because the bootstrap key is written at start-up outside any API call.
 */
@RestController
@Component
@Order(10)
public class StateRepublisher implements ApplicationRunner {

    private final DatabaseClient db;
    private final StateOutbox outbox;
    private final PriceStore prices;
    private final PolicyStore policies;
    private final BudgetStore budgets;
    private final dev.tally.governance.hierarchy.HierarchyStore hierarchy;
    private final ApiKeyStore keys;
    private final AdminKeyStore adminKeys;
    private final ProjectMemberStore projectMembers;
    private final Tx tx;

    public StateRepublisher(DatabaseClient db, StateOutbox outbox, PriceStore prices, PolicyStore policies,
            BudgetStore budgets, dev.tally.governance.hierarchy.HierarchyStore hierarchy, ApiKeyStore keys,
            AdminKeyStore adminKeys, ProjectMemberStore projectMembers, Tx tx) {
        this.db = db;
        this.outbox = outbox;
        this.prices = prices;
        this.policies = policies;
        this.budgets = budgets;
        this.hierarchy = hierarchy;
        this.keys = keys;
        this.adminKeys = adminKeys;
        this.projectMembers = projectMembers;
        this.tx = tx;
    }

    @Override
    public void run(ApplicationArguments args) {
        tx.run(Flux.concat(prices.all().map(Price::state), adminKeys.states()).concatMap(outbox::stage).then())
                .block();
        outbox.flushSoon();
    }

    @PostMapping("/admin/republish")
    public Mono<Map<String, Long>> republishAll(Caller caller) {
        caller.requirePlatformAdmin();
        Flux<GovernanceState> states = Flux.concat(
                hierarchy.orgs(null).map(o -> o.state()),
                db.sql("select id from workspace order by id").map(row -> row.get("id", String.class)).all()
                        .concatMap(hierarchy::workspace).map(w -> w.state()),
                db.sql("select id from grp order by id").map(row -> row.get("id", String.class)).all()
                        .concatMap(hierarchy::group).map(g -> g.state()),
                db.sql("select id from member order by id").map(row -> row.get("id", String.class)).all()
                        .concatMap(hierarchy::member).map(m -> m.state()),
                db.sql("select id from project order by id").map(row -> row.get("id", String.class)).all()
                        .concatMap(hierarchy::project).map(p -> p.state()),
                projectMembers.all().map(ProjectMember::state),
                // The entities' own state(), as normal publishing uses: a revoked one is dated by its revocation.
                keys.all().map(ApiKey::state),
                adminKeys.states(),
                db.sql("select * from credential order by id").map(Credential::of).all().map(Credential::state),
                policies.all().map(Policy::state),
                budgets.all().map(Budget::state),
                prices.all().map(Price::state));
        return tx.run(states.concatMap(state -> outbox.stage(state).thenReturn(1L)).count())
                .doOnSuccess(n -> outbox.flushSoon())
                .map(n -> Map.of("republished", n));
    }
}
