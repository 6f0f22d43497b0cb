package dev.tally.governance.budget;

import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.DefineBudgetCommand;
import dev.tally.events.ledger.RemoveBudgetCommand;
import dev.tally.governance.auth.Caller;
import dev.tally.governance.support.Changes;
import dev.tally.governance.support.Ids;
import dev.tally.governance.scope.TargetRef;
import dev.tally.governance.scope.Targets;
import dev.tally.governance.web.ApiException;
import dev.tally.governance.web.Check;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Agent Control's budgets. Governance keeps the definition; the ledger enforces it atomically with every reservation,
 * so each definition, change and removal is also a ledger command.
 */
@RestController
public class BudgetController {

    static final List<Integer> DEFAULT_THRESHOLDS = List.of(50, 75, 90, 100);

    private final BudgetStore budgets;
    private final Targets targets;
    private final Changes changes;

    public BudgetController(BudgetStore budgets, Targets targets, Changes changes) {
        this.budgets = budgets;
        this.targets = targets;
        this.changes = changes;
    }

    @PostMapping("/budgets")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<BudgetView> create(Caller caller, @RequestBody BudgetRequest request) {
        return targets.resolve(caller, request.target(), HttpStatus.UNPROCESSABLE_CONTENT).flatMap(target -> {
            BudgetPeriod period = period(request.period());
            long limit = Check.positive(request.limitCredits(), "limit_credits");
            List<Integer> thresholds = thresholds(request.thresholds());
            String name = Check.optionalText(request.name(), "name", Check.NAME_MAX);
            Instant now = Instant.now();
            Budget budget = new Budget(Ids.newId(), target.orgId(), target.scope(), name, period, limit, thresholds,
                    Boolean.TRUE.equals(request.autoDisable()), now, now);
            return define(caller, budget, true);
        });
    }

    @GetMapping("/budgets")
    public Flux<BudgetView> list(Caller caller, @RequestParam(name = "org_id", required = false) String orgId,
            @RequestParam(name = "workspace_id", required = false) String workspaceId,
            @RequestParam(name = "agent_group_id", required = false) String agentGroupId,
            @RequestParam(name = "team_id", required = false) String teamId,
            @RequestParam(name = "agent_id", required = false) String agentId,
            @RequestParam(name = "user_id", required = false) String userId,
            @RequestParam(name = "project_id", required = false) String projectId) {
        TargetRef ref = new TargetRef(orgId, workspaceId, agentGroupId, teamId, agentId, userId, projectId);
        return targets.resolve(caller, ref, HttpStatus.BAD_REQUEST)
                .flatMapMany(target -> budgets.ofTarget(target.scope()))
                .map(b -> BudgetView.of(b, null));
    }

    @GetMapping("/budgets/{budgetId}")
    public Mono<BudgetView> get(Caller caller, @PathVariable String budgetId) {
        return find(caller, budgetId).map(b -> BudgetView.of(b, null));
    }

    /** Changes the limit, thresholds or auto-disable; the target and period stay (create another budget for those). */
    @PutMapping("/budgets/{budgetId}")
    public Mono<BudgetView> update(Caller caller, @PathVariable String budgetId, @RequestBody BudgetRequest request) {
        return find(caller, budgetId).flatMap(existing -> {
            if (request.period() != null && period(request.period()) != existing.period()) {
                throw ApiException.invalid("period", "cannot change; create a new budget for another period");
            }
            Budget updated = new Budget(existing.id(), existing.orgId(), existing.target(),
                    request.name() == null ? existing.name() : Check.name(request.name(), "name"), existing.period(),
                    request.limitCredits() == null ? existing.limitCredits()
                            : Check.positive(request.limitCredits(), "limit_credits"),
                    request.thresholds() == null ? existing.thresholdsPercent() : thresholds(request.thresholds()),
                    request.autoDisable() == null ? existing.autoDisable() : request.autoDisable(),
                    existing.createdAt(), Instant.now());
            return define(caller, updated, false);
        });
    }

    @DeleteMapping("/budgets/{budgetId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> delete(Caller caller, @PathVariable String budgetId) {
        return find(caller, budgetId).flatMap(existing -> {
            String command = "remove-budget:" + existing.id();
            return changes.commit(budgets.delete(existing.id())
                            .then(changes.publishDeletion(existing.state()))
                            .then(changes.stage(new RemoveBudgetCommand(command, existing.orgId(), existing.id(),
                                    caller.actor())))
                            .then(changes.audit(existing.orgId(), caller.actor(), "budget.removed", "budget",
                                    existing.id(), Map.of())))
                    .then(changes.dispatch(command)).then();
        });
    }

    private Mono<BudgetView> define(Caller caller, Budget budget, boolean created) {
        // A fresh command id per definition: each redefinition is a distinct ledger change.
        String command = "define-budget:" + budget.id() + ":" + Ids.newId();
        return changes.commit((created ? budgets.insert(budget) : budgets.update(budget))
                        .then(changes.publish(budget.state()))
                        .then(changes.stage(new DefineBudgetCommand(command, budget.orgId(), budget.id(),
                                budget.target(), budget.period(), budget.limitCredits(), budget.thresholdsPercent(),
                                budget.autoDisable(), caller.actor())))
                        .then(changes.audit(budget.orgId(), caller.actor(), created ? "budget.created"
                                : "budget.updated", "budget", budget.id(), Map.of("period", budget.period().name(),
                                "limit_credits", budget.limitCredits(), "auto_disable", budget.autoDisable()))))
                .then(changes.dispatch(command))
                .map(outcome -> BudgetView.of(budget, outcome.status().name()));
    }

    private Mono<Budget> find(Caller caller, String budgetId) {
        return budgets.find(budgetId)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("budget", budgetId)))
                .doOnNext(b -> caller.requireOrgAdmin(b.orgId(), "budget", budgetId));
    }

    static BudgetPeriod period(String value) {
        if (value == null) {
            throw ApiException.missing("period");
        }
        try {
            return BudgetPeriod.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("period", "must be DAILY, MONTHLY or TOTAL");
        }
    }

    static List<Integer> thresholds(List<Integer> values) {
        if (values == null || values.isEmpty()) {
            return DEFAULT_THRESHOLDS;
        }
        for (int i = 0; i < values.size(); i++) {
            Integer t = values.get(i);
            if (t == null || t < 1 || t > 100) {
                throw ApiException.invalid("thresholds[" + i + "]", "must be a percentage from 1 to 100");
            }
        }
        return values.stream().distinct().sorted().toList();
    }
}
