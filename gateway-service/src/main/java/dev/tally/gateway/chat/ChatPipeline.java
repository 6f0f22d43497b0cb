package dev.tally.gateway.chat;

import dev.tally.events.gateway.GatewayRequestRecord;
import dev.tally.events.gateway.RequestOutcome;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.lease.CreditLeases;
import dev.tally.gateway.lease.LeaseHold;
import dev.tally.gateway.pricing.BilledUsage;
import dev.tally.gateway.pricing.CreditPricing;
import dev.tally.gateway.pricing.Tokenizer;
import dev.tally.gateway.provider.ProviderRequest;
import dev.tally.gateway.provider.ProviderResponse;
import dev.tally.gateway.provider.ProviderRouter;
import dev.tally.gateway.provider.Routed;
import dev.tally.gateway.provider.StreamChunk;
import dev.tally.gateway.report.RequestRecorder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Money and the provider: reserve the maximum cost (or a cheaper fallback model's, when a budget refuses the
 * preferred one), call the provider, charge the exact cost, report. Every reservation ends charged or released;
 * one that this process cannot end (it crashed) is released by the ledger when it expires.
 */
@Component
public class ChatPipeline {

    private final ChatPreparer preparer;
    private final CreditLeases leases;
    private final ProviderRouter providers;
    private final RequestRecorder recorder;
    private final Tokenizer tokenizer;
    private final AccountBalancer balancer;

    public ChatPipeline(ChatPreparer preparer, CreditLeases leases, ProviderRouter providers,
            RequestRecorder recorder, Tokenizer tokenizer, AccountBalancer balancer) {
        this.balancer = balancer;
        this.preparer = preparer;
        this.leases = leases;
        this.providers = providers;
        this.recorder = recorder;
        this.tokenizer = tokenizer;
    }

    public Mono<ObjectNode> complete(PreparedRequest prepared) {
        return reserve(prepared, preparer.cheaperFallbacks(prepared))
                .flatMap(reserved -> providers.complete(reserved.request().orgId(),
                                reserved.request().price().provider(), provider -> providerRequest(reserved.request()))
                        .map(routed -> settle(reserved, routed))
                        .onErrorResume(e -> {
                            reserved.hold().giveBack();
                            return Mono.error(e);
                        })
                        // The client left before the answer: nothing is charged, as nothing was delivered.
                        .doOnCancel(() -> reserved.hold().giveBack()))
                .doOnError(e -> recordFailure(prepared, e));
    }

    /** Reserves first, so refusals still answer with an HTTP status; then the stream of SSE data lines. */
    public Mono<Flux<String>> stream(PreparedRequest prepared) {
        return reserve(prepared, preparer.cheaperFallbacks(prepared))
                .map(this::streamReserved)
                .doOnError(e -> recordFailure(prepared, e));
    }

    private Flux<String> streamReserved(Reserved reserved) {
        PreparedRequest request = reserved.request();
        AtomicReference<String> provider = new AtomicReference<>(request.price().provider());
        StringBuilder generated = new StringBuilder();
        AtomicLong providerStart = new AtomicLong(System.nanoTime());
        AtomicBoolean usageSent = new AtomicBoolean();
        AtomicBoolean settled = new AtomicBoolean();
        boolean clientWantsUsage = request.body().path("stream_options").path("include_usage").asBoolean(false);

        Flux<String> chunks = providers.stream(request.orgId(), request.price().provider(),
                        name -> providerRequest(request))
                .concatMap(routed -> {
                    provider.set(routed.provider());
                    StreamChunk chunk = routed.result();
                    generated.append(chunk.text());
                    if (chunk.hasUsage()) {
                        if (!settled.compareAndSet(false, true)) {
                            return Flux.empty();
                        }
                        long charged = charge(reserved, routed.provider(), chunk.usage(), RequestOutcome.SUCCESS,
                                providerStart.get());
                        if (!clientWantsUsage) {
                            return Flux.empty();
                        }
                        usageSent.set(true);
                        ObjectNode withPlatform = chunk.chunk().deepCopy();
                        withPlatform.set("x_platform", xPlatform(request, routed.provider(), charged));
                        return Flux.just(withPlatform.toString());
                    }
                    return Flux.just(chunk.chunk().toString());
                })
                .doFinally(signal -> {
                    // No usage chunk: the client left, or the provider stopped early. Charge what was generated.
                    if (settled.compareAndSet(false, true)) {
                        long completion = tokenizer.count(request.model(), generated.toString());
                        RequestOutcome outcome = signal == SignalType.CANCEL ? RequestOutcome.CLIENT_DISCONNECTED
                                : signal == SignalType.ON_ERROR ? RequestOutcome.PROVIDER_ERROR : RequestOutcome.SUCCESS;
                        if (completion == 0 && signal == SignalType.ON_ERROR) {
                            reserved.hold().giveBack();
                            record(request, provider.get(), outcome, 502, "provider_error", null, 0,
                                    providerStart.get());
                        } else {
                            charge(reserved, provider.get(), request.promptTokens(), completion, outcome,
                                    providerStart.get());
                        }
                    }
                });
        return chunks
                .onErrorResume(e -> Flux.just(errorEvent(e)))
                .concatWith(Flux.just("[DONE]"));
    }

    /**
     * Reserves the preferred model; when a budget refuses it and the policy lists cheaper models, tries those. A user
     * whose personal allocation cannot cover it tries the team pool while a teammate is on vacation (TokenPool).
     */
    private Mono<Reserved> reserve(PreparedRequest request, List<String> fallbacks) {
        return leases.hold(request.orgId(), request.requestId(), request.scopes(), request.accountIds(),
                        request.reservedCredits(), request.priority(), request.principal().isUser())
                .map(hold -> new Reserved(request, hold))
                .onErrorResume(GatewayException.class, e -> {
                    if (e.outcome() == RequestOutcome.BUDGET_EXCEEDED && !fallbacks.isEmpty()) {
                        PreparedRequest cheaper = preparer.withModel(request, fallbacks.get(0), "budget_exceeded");
                        return reserve(cheaper, fallbacks.subList(1, fallbacks.size()));
                    }
                    if (e.outcome() == RequestOutcome.INSUFFICIENT_CREDITS) {
                        var share = balancer.vacationShare(request.principal(), request.priority())
                                .filter(draw -> !request.accountIds().equals(draw.accountIds()));
                        if (share.isPresent()) {
                            return reserve(request.drawingOn(share.get().accountIds(), share.get().scope()),
                                    fallbacks);
                        }
                    }
                    return Mono.error(e);
                });
    }

    /** A request and the credits held for it. */
    private record Reserved(PreparedRequest request, LeaseHold hold) {
    }

    private ProviderRequest providerRequest(PreparedRequest request) {
        return new ProviderRequest(request.body(), request.model(), request.maxTokens(), null, request.promptTokens());
    }

    private ObjectNode settle(Reserved reserved, Routed<ProviderResponse> routed) {
        PreparedRequest request = reserved.request();
        ProviderResponse response = routed.result();
        long charged = charge(reserved, routed.provider(), response.usage(), RequestOutcome.SUCCESS,
                request.startedNanos());
        ObjectNode body = response.body();
        body.put("model", request.model());
        body.set("x_platform", xPlatform(request, routed.provider(), charged));
        return body;
    }

    /** What the gateway counted itself: no usage came. */
    private long charge(Reserved reserved, String provider, long promptTokens, long completionTokens,
            RequestOutcome outcome, long providerStartNanos) {
        return charge(reserved, provider, BilledUsage.counted(promptTokens, completionTokens), outcome,
                providerStartNanos);
    }

    private long charge(Reserved reserved, String provider, BilledUsage usage, RequestOutcome outcome,
            long providerStartNanos) {
        PreparedRequest request = reserved.request();
        long actual = CreditPricing.charge(request.price(), request.principal().org().creditsPerUsd(), usage);
        long promptTokens = usage.totalInputTokens();
        long completionTokens = usage.totalOutputTokens();
        // Capped at what was held, as the ledger caps it: x_platform reports what the ledger charges.
        long charged = reserved.hold().charge(actual, promptTokens, completionTokens, request.model(), provider);
        recorder.record(record(request, provider, outcome, 200, null, null, promptTokens, completionTokens,
                charged, providerStartNanos));
        return charged;
    }

    private ObjectNode xPlatform(PreparedRequest request, String provider, long charged) {
        ObjectNode x = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        x.put("credits_charged", charged);
        x.put("credits_reserved", request.reservedCredits());
        x.put("latency_ms", elapsedMillis(request.startedNanos()));
        x.put("request_id", request.requestId());
        x.put("model", request.model());
        x.put("provider", provider);
        if (!request.model().equals(request.requestedModel())) {
            x.put("fallback_from", request.requestedModel());
            x.put("fallback_reason", request.fallbackReason());
        }
        return x;
    }

    private void recordFailure(PreparedRequest request, Throwable e) {
        if (e instanceof GatewayException g) {
            record(request, request.price().provider(), g.outcome(), g.status().value(), g.code(), g.budgetId(), 0,
                    request.startedNanos());
        } else {
            record(request, request.price().provider(), RequestOutcome.PROVIDER_ERROR, 502, "provider_error", null,
                    0, request.startedNanos());
        }
    }

    private void record(PreparedRequest request, String provider, RequestOutcome outcome, int status, String code,
            String budgetId, long reserved, long since) {
        recorder.record(new GatewayRequestRecord(request.requestId(), request.orgId(), request.principal().member().id(),
                request.principal().member().kind(), request.principal().key().id(), request.headers().projectId(),
                request.requestedModel(), request.model(), provider, request.stream(), request.headers().privacyStrict(),
                request.priority().name(), outcome, status, code, budgetId, request.promptTokens(), 0, reserved, 0,
                elapsedMillis(request.startedNanos()), elapsedMillis(since), Instant.now()));
    }

    private GatewayRequestRecord record(PreparedRequest request, String provider, RequestOutcome outcome, int status,
            String code, String budgetId, long promptTokens, long completionTokens, long charged, long since) {
        return new GatewayRequestRecord(request.requestId(), request.orgId(), request.principal().member().id(),
                request.principal().member().kind(), request.principal().key().id(), request.headers().projectId(),
                request.requestedModel(), request.model(), provider, request.stream(), request.headers().privacyStrict(),
                request.priority().name(), outcome, status, code, budgetId, promptTokens, completionTokens,
                request.reservedCredits(), charged, elapsedMillis(request.startedNanos()), elapsedMillis(since),
                Instant.now());
    }

    private String errorEvent(Throwable e) {
        GatewayException g = e instanceof GatewayException ge ? ge : GatewayException.providerError(
                e.getMessage() == null ? "provider failed" : e.getMessage());
        ObjectNode error = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        error.putObject("error").put("message", g.getMessage()).put("type", g.type()).put("code", g.code());
        return error.toString();
    }

    private static long elapsedMillis(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }
}
