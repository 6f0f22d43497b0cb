package dev.tally.gateway.route;

import dev.tally.events.gateway.GatewayRequestRecord;
import dev.tally.events.gateway.RequestOutcome;
import dev.tally.gateway.GatewaySettings;
import dev.tally.gateway.error.AnthropicError;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.lease.ChargeReceipt;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Money and the provider, the same for every route: reserve the maximum cost (or a cheaper fallback model's, when a
 * budget refuses the preferred one and the route falls back), call the provider, charge the exact cost, report. Every
 * reservation ends charged or released; one that this process cannot end (it crashed) is released by the ledger when
 * it expires.
 */
@Component
public class MoneyPath {

    private static final Logger log = LoggerFactory.getLogger(MoneyPath.class);
    /** What a request whose client left is recorded with: nginx's "client closed request". */
    static final int CLIENT_CLOSED = 499;

    private final RequestPreparer preparer;
    private final CreditLeases leases;
    private final ProviderRouter providers;
    private final RequestRecorder recorder;
    private final Tokenizer tokenizer;
    private final AccountBalancer balancer;
    private final Duration maxRequestDuration;
    private final Duration chargeWriteWait;

    public MoneyPath(RequestPreparer preparer, CreditLeases leases, ProviderRouter providers,
            RequestRecorder recorder, Tokenizer tokenizer, AccountBalancer balancer, GatewaySettings settings) {
        this.balancer = balancer;
        this.preparer = preparer;
        this.leases = leases;
        this.providers = providers;
        this.recorder = recorder;
        this.tokenizer = tokenizer;
        this.maxRequestDuration = settings.maxRequestDuration();
        this.chargeWriteWait = settings.chargeWriteWait();
    }

    /**
     * A non-streamed call runs to its end even when the client leaves: the provider bills a call it started, so it
     * is charged either way (recorded as closed by the client). The answer goes once its charge is journaled. When
     * the model has a fallback chain, a step that fails (provider error, prompt too long) gives its hold back and the
     * next step is held at its own price, then called.
     */
    public Mono<ObjectNode> complete(Route route, PreparedRequest prepared) {
        List<PreparedRequest> steps = preparer.chain(route, prepared);
        AtomicReference<PreparedRequest> tried = new AtomicReference<>(prepared);
        return held(route, steps, 0, null, tried)
                .flatMap(reserved -> {
                    AtomicBoolean clientLeft = new AtomicBoolean();
                    CompletableFuture<ObjectNode> answer = answer(steps, reserved, clientLeft, tried).toFuture();
                    // Not cancelling the future when the client leaves: the call and its charge go on.
                    return Mono.fromFuture(answer, true).doOnCancel(() -> clientLeft.set(true));
                })
                .doOnError(e -> recordFailure(route, tried.get(), e));
    }

    private Mono<ObjectNode> answer(List<PreparedRequest> steps, Reserved reserved, AtomicBoolean clientLeft,
            AtomicReference<PreparedRequest> tried) {
        PreparedRequest request = reserved.request();
        return Mono.defer(() -> providers.complete(request.orgId(), request.model(), request.price().provider(),
                        reserved.route().api(), provider -> providerRequest(reserved)))
                .timeout(timeLeft(reserved), Mono.error(() -> tooLong(reserved)))
                .flatMap(routed -> settle(reserved, routed, clientLeft))
                .onErrorResume(e -> {
                    reserved.hold().giveBack();
                    int next = reserved.step() + 1;
                    if (next < steps.size() && chainWorthy(e) && !clientLeft.get()) {
                        log.warn("model {} failed ({}); falling back to {}", request.model(), e.getMessage(),
                                steps.get(next).model());
                        return held(reserved.route(), steps, next, fallbackReason(e), tried)
                                .flatMap(nextStep -> answer(steps, nextStep, clientLeft, tried));
                    }
                    return Mono.error(e);
                });
    }

    /**
     * Holds the chain's step {@code index} (named as a fallback for {@code reason}); when a budget refuses it and a
     * step follows, holds that one instead. The last step may still fall back to the policy's cheaper models.
     */
    private Mono<Reserved> held(Route route, List<PreparedRequest> steps, int index, String reason,
            AtomicReference<PreparedRequest> tried) {
        PreparedRequest step = index == 0 ? steps.get(0) : steps.get(index).because(reason);
        tried.set(step);
        boolean last = index + 1 == steps.size();
        Mono<Reserved> held = reserve(route, step, last ? fallbacks(route, step) : List.of())
                .map(reserved -> reserved.at(index));
        if (last) {
            return held;
        }
        return held.onErrorResume(GatewayException.class, e -> e.outcome() == RequestOutcome.BUDGET_EXCEEDED
                ? held(route, steps, index + 1, "budget_exceeded", tried) : Mono.error(e));
    }

    /**
     * What a chain's next step is worth trying for: the provider failed (5xx, 429, unreachable, timed out, its circuit
     * open, after its own retries and deployments), or the prompt is too long for this model.
     */
    private static boolean chainWorthy(Throwable e) {
        return e instanceof GatewayException g && ("provider_error".equals(g.code())
                || ProviderRouter.CONTEXT_LENGTH_EXCEEDED.equals(g.code()));
    }

    private static String fallbackReason(Throwable e) {
        return ((GatewayException) e).code();
    }

    /** The first step has the whole maximum duration; a later one what is left of it. */
    private Duration timeLeft(Reserved reserved) {
        if (reserved.step() == 0) {
            return maxRequestDuration;
        }
        Duration spent = Duration.ofNanos(System.nanoTime() - reserved.request().startedNanos());
        Duration left = maxRequestDuration.minus(spent);
        return left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left;
    }

    /** Cheaper models answer only routes whose requests they can serve: chat. */
    private List<String> fallbacks(Route route, PreparedRequest prepared) {
        return route.fallsBack() ? preparer.cheaperFallbacks(prepared) : List.of();
    }

    /**
     * A non-streamed call past the maximum duration: the gateway ends it without knowing what the provider billed,
     * so it charges the hold, the most the provider could bill.
     */
    private GatewayException tooLong(Reserved reserved) {
        PreparedRequest request = reserved.request();
        charge(reserved, request.price().provider(), request.promptTokens(), request.maxTokens(),
                reserved.hold().credits(), RequestOutcome.PROVIDER_ERROR, 504, "request_timeout",
                request.startedNanos());
        return GatewayException.requestTooLong(maxRequestDuration);
    }

    /**
     * Reserves first, so refusals still answer with an HTTP status; then the stream of SSE data lines, with the
     * request as it was held (its model may be a cheaper fallback).
     */
    public Mono<Streamed> stream(Route route, PreparedRequest prepared) {
        List<PreparedRequest> steps = preparer.chain(route, prepared);
        AtomicReference<PreparedRequest> tried = new AtomicReference<>(prepared);
        return held(route, steps, 0, null, tried)
                .map(reserved -> new Streamed(reserved.request(), streamReserved(reserved, steps)))
                .doOnError(e -> recordFailure(route, tried.get(), e));
    }

    /** A stream whose credits are held: the request as held, and its Server-Sent Events. */
    public record Streamed(PreparedRequest request, Flux<ServerSentEvent<String>> events) {
    }

    /**
     * The provider's chunks, then, once the charge is journaled, OpenAI's [DONE]; the last event of a typed stream
     * (Anthropic's message_stop, the Responses API's response.completed) carries the usage and goes once its charge
     * is journaled. A stream without usage (the provider
     * left it out, broke off, or ran past the maximum duration) is charged the prompt plus what was generated; so is
     * one whose client left, which also ends the upstream call. An error event goes after its charge is journaled too.
     */
    private Flux<ServerSentEvent<String>> streamReserved(Reserved reserved, List<PreparedRequest> steps) {
        PreparedRequest request = reserved.request();
        WireFormat format = reserved.route().format();
        boolean typed = format.typedEvents();
        AtomicReference<String> provider = new AtomicReference<>(request.price().provider());
        StringBuilder generated = new StringBuilder();
        long providerStart = System.nanoTime();
        AtomicBoolean settled = new AtomicBoolean();
        AtomicBoolean timedOut = new AtomicBoolean();
        AtomicReference<ChargeReceipt> receipt = new AtomicReference<>();
        AtomicBoolean started = new AtomicBoolean();
        AtomicBoolean handedOver = new AtomicBoolean();
        // Typed streams always carry usage (Anthropic's message_delta, the Responses API's response.completed);
        // x_platform rides on their last event.
        boolean clientWantsUsage = typed
                || request.body().path("stream_options").path("include_usage").asBoolean(false);

        Flux<ServerSentEvent<String>> chunks = Flux.defer(() -> providers.stream(request.orgId(), request.model(),
                        request.price().provider(), reserved.route().api(), name -> providerRequest(reserved)))
                .takeUntilOther(Mono.delay(timeLeft(reserved)).doOnNext(tick -> timedOut.set(true)))
                .concatMap(routed -> {
                    started.set(true);
                    provider.set(routed.provider());
                    StreamChunk chunk = routed.result();
                    generated.append(chunk.text());
                    if (chunk.hasUsage()) {
                        if (!settled.compareAndSet(false, true)) {
                            return Flux.empty();
                        }
                        ChargeReceipt charged = charge(reserved, routed.provider(), chunk.usage(),
                                RequestOutcome.SUCCESS, 200, null, providerStart);
                        receipt.set(charged);
                        if (!clientWantsUsage) {
                            return Flux.empty();
                        }
                        ObjectNode withPlatform = chunk.chunk().deepCopy();
                        withPlatform.set("x_platform", xPlatform(request, routed.provider(), charged.credits()));
                        Flux<ServerSentEvent<String>> usageEvent = Flux.just(event(format, withPlatform));
                        return typed ? written(charged).thenMany(usageEvent) : usageEvent;
                    }
                    return Flux.just(event(format, chunk.chunk()));
                })
                .concatWith(Flux.defer(() -> {
                    if (!settled.compareAndSet(false, true)) {
                        return Flux.empty();
                    }
                    long completion = tokenizer.count(request.model(), generated.toString());
                    if (timedOut.get()) {
                        receipt.set(charge(reserved, provider.get(), request.promptTokens(), completion,
                                RequestOutcome.PROVIDER_ERROR, 504, "request_timeout", providerStart));
                        return written(receipt.get()).thenMany(Flux.just(errorEvent(format,
                                GatewayException.requestTooLong(maxRequestDuration))));
                    }
                    if (typed) {
                        // A typed stream ends with the event that carries the usage: this one broke off.
                        receipt.set(charge(reserved, provider.get(), request.promptTokens(), completion,
                                RequestOutcome.PROVIDER_ERROR, 502, "provider_error", providerStart));
                        String last = format == WireFormat.ANTHROPIC ? "message_stop" : "response.completed";
                        return written(receipt.get()).thenMany(Flux.just(errorEvent(format,
                                GatewayException.providerError("The provider's stream ended before " + last
                                        + "; what was generated until then was charged."))));
                    }
                    receipt.set(charge(reserved, provider.get(), request.promptTokens(), completion,
                            RequestOutcome.SUCCESS, 200, null, providerStart));
                    return Flux.empty();
                }))
                .onErrorResume(e -> {
                    int next = reserved.step() + 1;
                    // Only before the first chunk: the next model's answer would otherwise be spliced into this one.
                    if (next < steps.size() && !started.get() && chainWorthy(e)
                            && settled.compareAndSet(false, true)) {
                        reserved.hold().giveBack();
                        log.warn("model {} failed before its first chunk ({}); falling back to {}", request.model(),
                                e.getMessage(), steps.get(next).model());
                        AtomicReference<PreparedRequest> tried = new AtomicReference<>(steps.get(next));
                        return held(reserved.route(), steps, next, fallbackReason(e), tried)
                                .flatMapMany(nextStep -> {
                                    handedOver.set(true);
                                    return streamReserved(nextStep, steps);
                                })
                                .onErrorResume(refused -> {
                                    recordFailure(reserved.route(), tried.get(), refused);
                                    return Flux.just(errorEvent(format, refused));
                                });
                    }
                    if (settled.compareAndSet(false, true)) {
                        long completion = tokenizer.count(request.model(), generated.toString());
                        if (completion == 0) {
                            reserved.hold().giveBack();
                            record(reserved.route(), request, provider.get(), RequestOutcome.PROVIDER_ERROR, 502,
                                    "provider_error", null, 0, providerStart);
                        } else {
                            receipt.set(charge(reserved, provider.get(), request.promptTokens(), completion,
                                    RequestOutcome.PROVIDER_ERROR, 502, "provider_error", providerStart));
                        }
                    }
                    return Flux.defer(() -> written(receipt.get()).thenMany(Flux.just(errorEvent(format, e))));
                })
                .doOnCancel(() -> {
                    // The client left: the upstream call is cancelled with this stream; what was generated is billed.
                    if (settled.compareAndSet(false, true)) {
                        charge(reserved, provider.get(), request.promptTokens(),
                                tokenizer.count(request.model(), generated.toString()),
                                RequestOutcome.CLIENT_DISCONNECTED, CLIENT_CLOSED, "client_closed", providerStart);
                    }
                });
        Flux<ServerSentEvent<String>> end = typed ? Flux.empty()
                : Flux.just(ServerSentEvent.builder("[DONE]").build());
        // A stream handed over to the chain's next step ends as that step's does.
        return chunks.concatWith(Flux.defer(() -> handedOver.get() ? Flux.empty()
                : written(receipt.get()).thenMany(end)));
    }

    /**
     * OpenAI's chat events are data only; Anthropic's and the Responses API's are named by their type (message_start,
     * response.output_text.delta, error…).
     */
    private static ServerSentEvent<String> event(WireFormat format, ObjectNode data) {
        ServerSentEvent.Builder<String> event = ServerSentEvent.builder(data.toString());
        if (format.typedEvents()) {
            event.event(data.path("type").asString("message"));
        }
        return event.build();
    }

    /** Completes when the charge is in the charge journal (on disk), or after {@code chargeWriteWait} at most. */
    private Mono<Void> written(ChargeReceipt receipt) {
        if (receipt == null) {
            return Mono.empty();
        }
        return Mono.fromFuture(receipt.written(), true)
                .timeout(chargeWriteWait)
                .onErrorResume(e -> {
                    // The answer was generated and billed by the provider; keeping it from the client would not
                    // get the money back. The charge still goes to the ledger with its settlement.
                    log.warn("A charge was not written to the charge journal within {}; answering anyway: {}",
                            chargeWriteWait, e.toString());
                    return Mono.empty();
                });
    }

    /**
     * Reserves the preferred model; when a budget refuses it and the policy lists cheaper models, tries those. A user
     * whose personal allocation cannot cover it tries the team pool while a teammate is on vacation (TokenPool).
     */
    private Mono<Reserved> reserve(Route route, PreparedRequest request, List<String> fallbacks) {
        return leases.hold(request.orgId(), request.requestId(), request.scopes(), request.accountIds(),
                        request.reservedCredits(), request.priority(), request.principal().isUser())
                .map(hold -> new Reserved(route, request, hold))
                .onErrorResume(GatewayException.class, e -> {
                    if (e.outcome() == RequestOutcome.BUDGET_EXCEEDED && !fallbacks.isEmpty()) {
                        PreparedRequest cheaper = preparer.withModel(request, fallbacks.get(0), "budget_exceeded");
                        return reserve(route, cheaper, fallbacks.subList(1, fallbacks.size()));
                    }
                    if (e.outcome() == RequestOutcome.INSUFFICIENT_CREDITS) {
                        var share = balancer.vacationShare(request.principal(), request.priority())
                                .filter(draw -> !request.accountIds().equals(draw.accountIds()));
                        if (share.isPresent()) {
                            return reserve(route, request.drawingOn(share.get().accountIds(),
                                    share.get().scope()), fallbacks);
                        }
                    }
                    return Mono.error(e);
                });
    }

    /** A request, its route, the credits held for it, and which step of its fallback chain it is. */
    private record Reserved(Route route, PreparedRequest request, LeaseHold hold, int step) {

        Reserved(Route route, PreparedRequest request, LeaseHold hold) {
            this(route, request, hold, 0);
        }

        Reserved at(int index) {
            return new Reserved(route, request, hold, index);
        }
    }

    private static ProviderRequest providerRequest(Reserved reserved) {
        PreparedRequest request = reserved.request();
        return new ProviderRequest(request.body(), request.model(), request.maxTokens(), null, request.promptTokens(),
                reserved.route().api(), request.headers().forProvider());
    }

    private Mono<ObjectNode> settle(Reserved reserved, Routed<ProviderResponse> routed, AtomicBoolean clientLeft) {
        PreparedRequest request = reserved.request();
        ProviderResponse response = routed.result();
        boolean left = clientLeft.get();
        ChargeReceipt charged = charge(reserved, routed.provider(), response.usage(),
                left ? RequestOutcome.CLIENT_DISCONNECTED : RequestOutcome.SUCCESS, left ? CLIENT_CLOSED : 200,
                left ? "client_closed" : null, request.startedNanos());
        ObjectNode body = response.body();
        if (reserved.route().format() != WireFormat.ANTHROPIC) {
            // Anthropic's message goes as Anthropic sent it, its model (a dated snapshot) included.
            body.put("model", request.model());
        }
        body.set("x_platform", xPlatform(request, routed.provider(), charged.credits()));
        return written(charged).thenReturn(body);
    }

    /** What the gateway counted itself: no usage came (the stream broke off, the client left, or it ran too long). */
    private ChargeReceipt charge(Reserved reserved, String provider, long promptTokens, long completionTokens,
            RequestOutcome outcome, int status, String code, long providerStartNanos) {
        return charge(reserved, provider, BilledUsage.counted(promptTokens, completionTokens), outcome, status, code,
                providerStartNanos);
    }

    private ChargeReceipt charge(Reserved reserved, String provider, BilledUsage usage, RequestOutcome outcome,
            int status, String code, long providerStartNanos) {
        PreparedRequest request = reserved.request();
        long actual = CreditPricing.charge(request.price(), request.principal().org().creditsPerUsd(), usage);
        return charge(reserved, provider, usage.totalInputTokens(), usage.totalOutputTokens(), actual, outcome,
                status, code, providerStartNanos);
    }

    private ChargeReceipt charge(Reserved reserved, String provider, long promptTokens, long completionTokens,
            long actual, RequestOutcome outcome, int status, String code, long providerStartNanos) {
        PreparedRequest request = reserved.request();
        // The whole actual cost: the ledger charges a bill beyond the hold as an overdraft (docs/ledger.md).
        ChargeReceipt charged = reserved.hold().charge(actual, promptTokens, completionTokens, request.model(),
                provider);
        recorder.record(record(reserved.route(), request, provider, outcome, status, code, null, promptTokens,
                completionTokens, charged.credits(), providerStartNanos));
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

    private void recordFailure(Route route, PreparedRequest request, Throwable e) {
        if (e instanceof GatewayException g) {
            record(route, request, request.price().provider(), g.outcome(), g.status().value(), g.code(),
                    g.budgetId(), 0, request.startedNanos());
        } else {
            record(route, request, request.price().provider(), RequestOutcome.PROVIDER_ERROR, 502, "provider_error",
                    null, 0, request.startedNanos());
        }
    }

    private void record(Route route, PreparedRequest request, String provider, RequestOutcome outcome, int status,
            String code, String budgetId, long reserved, long since) {
        recorder.record(new GatewayRequestRecord(request.requestId(), request.orgId(), request.principal().member().id(),
                request.principal().member().kind(), request.principal().key().id(), request.headers().projectId(),
                request.requestedModel(), request.model(), provider, route.endpoint(), request.stream(),
                request.headers().privacyStrict(),
                request.priority().name(), outcome, status, code, budgetId, request.promptTokens(), 0, reserved, 0,
                elapsedMillis(request.startedNanos()), elapsedMillis(since), Instant.now()));
    }

    private GatewayRequestRecord record(Route route, PreparedRequest request, String provider, RequestOutcome outcome,
            int status, String code, String budgetId, long promptTokens, long completionTokens, long charged,
            long since) {
        return new GatewayRequestRecord(request.requestId(), request.orgId(), request.principal().member().id(),
                request.principal().member().kind(), request.principal().key().id(), request.headers().projectId(),
                request.requestedModel(), request.model(), provider, route.endpoint(), request.stream(),
                request.headers().privacyStrict(),
                request.priority().name(), outcome, status, code, budgetId, promptTokens, completionTokens,
                request.reservedCredits(), charged, elapsedMillis(request.startedNanos()), elapsedMillis(since),
                Instant.now());
    }

    private static ServerSentEvent<String> errorEvent(WireFormat format, Throwable e) {
        GatewayException g = e instanceof GatewayException ge ? ge : GatewayException.providerError(
                e.getMessage() == null ? "provider failed" : e.getMessage());
        ObjectNode error = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        if (format == WireFormat.ANTHROPIC) {
            error.put("type", "error");
            error.putObject("error").put("type", AnthropicError.type(g.status().value()))
                    .put("message", g.getMessage()).putObject("details").put("error_code", g.code());
            return ServerSentEvent.builder(error.toString()).event("error").build();
        }
        if (format == WireFormat.OPENAI_RESPONSES) {
            // The Responses API's own error event: its fields at the top, named error.
            error.put("type", "error").put("code", g.code()).put("message", g.getMessage()).putNull("param");
            return ServerSentEvent.builder(error.toString()).event("error").build();
        }
        error.putObject("error").put("message", g.getMessage()).put("type", g.type()).put("code", g.code());
        return ServerSentEvent.builder(error.toString()).build();
    }

    private static long elapsedMillis(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }
}
