package dev.tally.gateway.route;

import dev.tally.events.governance.EntityStatus;
import dev.tally.events.governance.PriceState;
import dev.tally.events.governance.ProjectState;
import dev.tally.events.id.TimeOrderedIds;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.gateway.GatewaySettings;
import dev.tally.gateway.auth.KeyAuthenticator;
import dev.tally.gateway.auth.Principal;
import dev.tally.gateway.budget.BudgetWarnings;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.policy.EffectivePolicy;
import dev.tally.gateway.policy.PolicyResolver;
import dev.tally.gateway.policy.RateLimiter;
import dev.tally.gateway.pricing.ModelFamily;
import dev.tally.gateway.pricing.PromptMeter;
import dev.tally.gateway.provider.ProviderRouter;
import dev.tally.gateway.state.GovernanceView;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything before money, in the gateway's hot-path order (docs/gateway.md): authenticate, validate, resolve the
 * effective policy and enforce it, rate-limit, and size the reservation. All from memory; nothing here waits. The
 * same for every route: what differs (the body's fields, the hold) is the {@link Route}'s.
 */
@Component
public class RequestPreparer {

    private final KeyAuthenticator authenticator;
    private final PolicyResolver policies;
    private final RateLimiter rateLimiter;
    private final PromptMeter meter;
    private final GovernanceView view;
    private final ProviderRouter providers;
    private final AccountBalancer balancer;
    private final GatewaySettings settings;
    private final BudgetWarnings warnings;

    public RequestPreparer(KeyAuthenticator authenticator, PolicyResolver policies, RateLimiter rateLimiter,
            PromptMeter meter, GovernanceView view, ProviderRouter providers, AccountBalancer balancer,
            GatewaySettings settings, BudgetWarnings warnings) {
        this.authenticator = authenticator;
        this.policies = policies;
        this.rateLimiter = rateLimiter;
        this.meter = meter;
        this.view = view;
        this.providers = providers;
        this.balancer = balancer;
        this.settings = settings;
        this.warnings = warnings;
    }

    public Principal authenticate(RequestHeaders headers) {
        return authenticator.authenticate(headers.authorization());
    }

    public PreparedRequest prepare(long startedNanos, Principal principal, RequestHeaders headers, ObjectNode body,
            Route route) {
        String model = withoutProviderPrefix(text(body, "model"));
        route.validate(body);
        route.checkAccess(principal, body);
        body.put("model", model);
        boolean stream = body.path("stream").asBoolean(false);

        List<Scope> scopes = new ArrayList<>(principal.chain());
        if (headers.projectId() != null) {
            ProjectState project = view.project(headers.projectId())
                    .filter(p -> p.orgId().equals(principal.org().id()))
                    .orElseThrow(() -> GatewayException.badRequest("unknown_project", RequestHeaders.PROJECT + " "
                            + headers.projectId() + " is not a project of your organisation.", RequestHeaders.PROJECT));
            if (!view.admitsToProject(project.id(), principal.member())) {
                throw GatewayException.forbidden("project_not_allowed", "You are not a member of project "
                        + project.name() + " (" + RequestHeaders.PROJECT + "); an administrator can add you, your team "
                        + "or your agent group with POST /projects/{id}/members on governance.", RequestHeaders.PROJECT);
            }
            if (project.status() != EntityStatus.ACTIVE) {
                throw GatewayException.forbidden("project_inactive", "Project " + project.name() + " is inactive.",
                        RequestHeaders.PROJECT);
            }
            scopes.add(new Scope(ScopeLevel.PROJECT, project.id()));
        }

        EffectivePolicy policy = policies.resolve(scopes);
        if (headers.priority() == Priority.CRITICAL && !policy.allowsCriticalPriority()) {
            throw GatewayException.forbidden("priority_not_allowed", headers.priorityHeader() + ": critical is not "
                    + "allowed for you: it draws on your team's pool and the organisation's overdraft, which takes a "
                    + "policy granting allow_critical_priority. Send the request without it.",
                    headers.priorityHeader());
        }
        if (!policy.allows(model)) {
            throw GatewayException.forbidden("model_not_allowed", "Policy: model '" + model
                    + "' is not in the allowed models " + policy.allowedModels() + ".", "model");
        }
        if (!policy.openAt(Instant.now())) {
            throw GatewayException.forbidden("outside_time_window",
                    "Policy: requests are not allowed at this time of day.", null);
        }
        PriceState price = view.price(model).orElseThrow(() -> GatewayException.notFound("model_not_found",
                "The model '" + model + "' does not exist or has no price.", "model"));
        if (!providers.knows(price.provider())) {
            throw GatewayException.notFound("provider_not_configured", "The model's provider '" + price.provider()
                    + "' is not configured on this gateway.", "model");
        }
        route.checkServes(model, price);

        OutputLimit output = route.output(body, policy.maxOutputTokens(), settings.defaultMaxTokens());
        HoldEstimate hold = route.hold(model, price, principal.org().creditsPerUsd(), body, output);
        if (policy.maxInputTokens() != null && hold.inputTokens() > policy.maxInputTokens()) {
            throw GatewayException.forbidden("max_input_tokens_exceeded", "Policy: the prompt can be billed up to "
                    + hold.inputTokens() + " tokens; max_input_tokens is " + policy.maxInputTokens() + ".",
                    route.inputField());
        }
        rateLimiter.acquire(principal.member().id(), policy.rpmLimit(), policy.tpmLimit(),
                hold.inputTokens() + hold.outputTokens(), System.currentTimeMillis());

        ObjectNode forwarded = route.forwarded(body, output, hold.family());
        PreparedRequest prepared = new PreparedRequest(TimeOrderedIds.next(), startedNanos, principal, headers,
                forwarded, stream, model, model, price, policy, hold.inputTokens(), output, hold.outputTokens(),
                hold.credits(), List.copyOf(scopes), balancer.accounts(principal, headers.priority()),
                headers.priority(), null);
        if (route.fallsBack() && !policy.fallbackModels().isEmpty() && warned(scopes)) {
            List<String> cheaper = cheaperFallbacks(prepared);
            if (!cheaper.isEmpty()) {
                return withModel(prepared, cheaper.get(0), "budget_warning");
            }
        }
        return prepared;
    }

    /**
     * A model named with its provider ("openai/gpt-4.1", "anthropic/claude-sonnet-4-5"), as LiteLLM's users name
     * them, is served as its bare name when that provider prices it; a name priced as it is, slash included (a
     * self-hosted "meta-llama/Llama-3.1-8B"), is taken as it is.
     */
    private String withoutProviderPrefix(String model) {
        int slash = model.indexOf('/');
        if (slash <= 0 || view.price(model).isPresent()) {
            return model;
        }
        String provider = model.substring(0, slash);
        String bare = model.substring(slash + 1);
        return view.price(bare).filter(price -> price.provider().equalsIgnoreCase(provider)).map(price -> bare)
                .orElse(model);
    }

    /** ElfAutomations: past a budget's warning threshold, prefer the policy's cheaper models before the budget refuses. */
    private boolean warned(List<Scope> scopes) {
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        for (Scope scope : scopes) {
            for (var budget : view.budgetsAt(scope)) {
                if (warnings.warned(budget.id(), today)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The same request priced for another model: ElfAutomations' cheaper-model fallback. The bounds are recomputed with
     * the fallback's own family (tokenizer, image rates, output field).
     */
    public PreparedRequest withModel(PreparedRequest request, String model, String reason) {
        PriceState price = view.price(model).orElseThrow();
        HoldEstimate hold = HoldEstimate.of(meter, model, price, request.principal().org().creditsPerUsd(),
                request.body(), request.output());
        ObjectNode body = request.body().deepCopy();
        body.put("model", model);
        request.output().writeTo(body, hold.family());
        return new PreparedRequest(request.requestId(), request.startedNanos(), request.principal(), request.headers(),
                body, request.stream(), request.requestedModel(), model, price, request.policy(), hold.inputTokens(),
                request.output(), hold.outputTokens(), hold.credits(), request.scopes(), request.accountIds(),
                request.priority(), reason);
    }

    /**
     * The request, then the steps of its model's fallback chain (tally.gateway.routing, docs/providers.md): each a
     * model the policy allows, with a price, served on this route, and able to take this body; held and charged at
     * its own price (its own tokenizer and output field too). A step that cannot take the request is left out.
     */
    public List<PreparedRequest> chain(Route route, PreparedRequest request) {
        List<String> models = providers.fallbackModels(request.model());
        if (models.isEmpty()) {
            return List.of(request);
        }
        List<PreparedRequest> steps = new ArrayList<>();
        steps.add(request);
        for (String model : models) {
            if (steps.stream().anyMatch(step -> step.model().equals(model)) || !request.policy().allows(model)) {
                continue;
            }
            PriceState price = view.price(model).orElse(null);
            if (price == null || !providers.knows(price.provider())
                    || !providers.servesModel(model, price.provider(), route.api())
                    || !servesChoices(request, model, price)) {
                continue;
            }
            try {
                route.checkServes(model, price);
                ObjectNode body = request.body().deepCopy();
                body.put("model", model);
                HoldEstimate hold = route.hold(model, price, request.principal().org().creditsPerUsd(), body,
                        request.output());
                steps.add(new PreparedRequest(request.requestId(), request.startedNanos(), request.principal(),
                        request.headers(), route.forwarded(body, request.output(), hold.family()), request.stream(),
                        request.requestedModel(), model, price, request.policy(), hold.inputTokens(),
                        request.output(), hold.outputTokens(), hold.credits(), request.scopes(),
                        request.accountIds(), request.priority(), null));
            } catch (GatewayException cannotTake) {
                // e.g. a field this model's provider does not take: the chain goes on without it
            }
        }
        return List.copyOf(steps);
    }

    /** Allowed fallback models with a price and a configured provider, cheapest first. */
    public List<String> cheaperFallbacks(PreparedRequest request) {
        return request.policy().fallbackModels().stream()
                .filter(m -> !m.equals(request.model()) && request.policy().allows(m))
                .filter(m -> view.price(m).filter(p -> providers.knows(p.provider()))
                        .filter(p -> servesChoices(request, m, p)).isPresent())
                .map(m -> withModel(request, m, request.fallbackReason()))
                .filter(candidate -> candidate.reservedCredits() < request.reservedCredits())
                .sorted(java.util.Comparator.comparingLong(PreparedRequest::reservedCredits))
                .map(PreparedRequest::model)
                .toList();
    }

    /** A fallback that cannot answer the request's choices (n above 1 on Anthropic) is no fallback. */
    private static boolean servesChoices(PreparedRequest request, String model, PriceState price) {
        return request.output().choices() == 1 || !ModelFamily.of(model, price.provider()).anthropic();
    }

    private static String text(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw GatewayException.badRequest("missing_required_parameter", "Missing required parameter: '" + field
                    + "'.", field);
        }
        if (!value.isString() || value.asString().isBlank()) {
            throw GatewayException.badRequest("invalid_type", "'" + field + "' must be a non-empty string.", field);
        }
        return value.asString();
    }
}
