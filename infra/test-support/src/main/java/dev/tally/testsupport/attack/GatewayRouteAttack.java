package dev.tally.testsupport.attack;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gateway's counterpart of {@link RouteAttack}: every route the gateway serves, read from its handler mappings
 * ({@link RouteInventory}), must be classified, and each is sent what an attacker would send — no key, a made-up key,
 * a revoked key, an expired key, an admin key, another organisation's key naming this organisation's project, and
 * malformed bodies, wrong content types and methods with the right key. Every refusal must be the error JSON of the
 * API the route speaks (OpenAI's, or Anthropic's on the Messages routes), never a framework message or a 5xx. Every
 * finding is collected, so one run lists every problem.
 */
public final class GatewayRouteAttack {

    /** Who may call a route and which error format it answers in, as docs/gateway.md and docs/security.md say. */
    public enum Access {
        /** The actuator's probes: no key needed, never a 5xx. */
        PUBLIC,
        /** The actuator's other endpoints: platform admin keys only, refused in the admin APIs' error JSON. */
        PLATFORM_ADMIN,
        /** A gateway key; refusals in OpenAI's error JSON; answers only about the caller's own organisation. */
        OPENAI,
        /** As {@link #OPENAI}, and it calls a model under the caller's governance, {@code X-Project-ID} included. */
        OPENAI_GOVERNED,
        /** A gateway key; refusals in Anthropic's error JSON. */
        ANTHROPIC,
        /** As {@link #ANTHROPIC}, and it calls a model under the caller's governance. */
        ANTHROPIC_GOVERNED,
        /**
         * A catch-all mapping that serves nothing (Spring's static resources): every path under it answers 404
         * {@code unknown_url} in OpenAI's format, whoever asks.
         */
        UNSERVED
    }

    /**
     * The keys an attack uses.
     *
     * @param ofA        a working gateway key of organisation A (the right caller)
     * @param ofB        a working gateway key of organisation B
     * @param revokedOfA a key of A that was revoked
     * @param expiredOfA a key of A whose {@code expires_at} has passed
     * @param platform   a platform admin key ({@code tadm_…})
     */
    public record Keys(String ofA, String ofB, String revokedOfA, String expiredOfA, String platform) {
    }

    /** Words of framework and JVM messages that no answer of the gateway may carry. */
    private static final List<String> FRAMEWORK_WORDS = List.of("exception", "org.springframework", "tools.jackson",
            "com.fasterxml", "reactor.", "java.lang", "static resource", "whitelabel", "failed to read http",
            "decodingexception", "servererror", "\tat ");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String baseUrl;
    private final Map<Route, Access> classification = new LinkedHashMap<>();
    private final Map<Route, String> sampleBodies = new LinkedHashMap<>();
    private final Map<String, String> pathValues;
    private final Keys keys;
    private final String projectOfA;
    private final Set<String> idsOfA;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final List<String> findings = new ArrayList<>();

    /**
     * @param classification {@code "METHOD pattern" → access} for every route the gateway serves
     * @param sampleBodies   {@code "METHOD pattern" → a body the route accepts from the right caller}, for every
     *                       route that reads a body: refusals are then about the key, not a missing body
     * @param pathValues     a value for every path variable
     * @param projectOfA     a project of organisation A, which organisation B's key names in {@code X-Project-ID}
     * @param idsOfA         what no answer to another caller may contain (A's organisation, member, project ids)
     */
    public GatewayRouteAttack(String baseUrl, Map<String, Access> classification, Map<String, String> sampleBodies,
            Map<String, String> pathValues, Keys keys, String projectOfA, Set<String> idsOfA) {
        this.baseUrl = baseUrl;
        classification.forEach((route, access) -> this.classification.put(Route.of(route), access));
        sampleBodies.forEach((route, body) -> this.sampleBodies.put(Route.of(route), body));
        this.pathValues = pathValues;
        this.keys = keys;
        this.projectOfA = projectOfA;
        this.idsOfA = idsOfA;
    }

    /** Every finding over the routes the gateway serves; empty when every route held. */
    public List<String> run(Set<Route> served, Set<Route> takingBody) {
        Set<Route> unclassified = new TreeSet<>(served);
        unclassified.removeAll(classification.keySet());
        unclassified.forEach(route -> findings.add(route + " is served but not classified: add it to the gateway's "
                + "AttackIT with who may call it and its error format (docs/security.md)"));
        Set<Route> stale = new TreeSet<>(classification.keySet());
        stale.removeAll(served);
        stale.forEach(route -> findings.add(route + " is classified but not served: remove it from the suite"));
        for (Route route : new TreeSet<>(served)) {
            Access access = classification.get(route);
            if (access != null) {
                attack(route, access, takingBody.contains(route));
            }
        }
        return List.copyOf(findings);
    }

    private void attack(Route route, Access access, boolean body) {
        switch (access) {
            case PUBLIC -> {
                Answer open = send(route, route.path(pathValues), null, null, null, Map.of());
                if (open.status() != 200) {
                    findings.add(route + " is public but answered " + open.status() + " without a key");
                }
            }
            case PLATFORM_ADMIN -> actuator(route);
            case UNSERVED -> unserved(route);
            default -> gatewayRoute(route, access, body);
        }
    }

    private void actuator(Route route) {
        String path = route.path(pathValues);
        adminRefusal(route, "no key", send(route, path, null, null, null, Map.of()), 401);
        adminRefusal(route, "a gateway key", send(route, path, keys.ofA(), null, null, Map.of()), 401);
        Answer platform = send(route, path, keys.platform(), null, null, Map.of());
        if (platform.status() != 200) {
            findings.add(route + " with a platform admin key answered " + platform.status() + ": " + platform.brief());
        }
    }

    private void adminRefusal(Route route, String caller, Answer answer, int status) {
        if (answer.status() != status) {
            findings.add(route + " with " + caller + ": expected " + status + ", got " + answer.status() + ": "
                    + answer.brief());
        } else if (!answer.json().path("error").path("message").isString()) {
            findings.add(route + " with " + caller + " answered without the admin error JSON: " + answer.brief());
        }
        noFrameworkWords(route, caller, answer);
    }

    private void unserved(Route route) {
        String path = route.pattern().replace("**", "attack-unserved");
        for (String key : new String[] {null, keys.ofA()}) {
            Answer answer = send(route, path, key, null, null, Map.of());
            String caller = key == null ? "no key on " + path : "a gateway key on " + path;
            refusal(route, caller, answer, false, Set.of(404), "unknown_url");
        }
    }

    private void gatewayRoute(Route route, Access access, boolean body) {
        boolean anthropic = access == Access.ANTHROPIC || access == Access.ANTHROPIC_GOVERNED;
        boolean governed = access == Access.OPENAI_GOVERNED || access == Access.ANTHROPIC_GOVERNED;
        String path = route.path(pathValues);
        String sample = sampleBodies.get(route);
        if (body && sample == null) {
            findings.add(route + " reads a body but the suite has no sample body for it: add one");
            return;
        }
        String type = body ? "application/json" : null;
        refusal(route, "no key", send(route, path, null, type, sample, Map.of()), anthropic, Set.of(401),
                "invalid_api_key");
        refusal(route, "a made-up key", send(route, path, "cpk_made-up-" + Integer.toHexString(path.hashCode()),
                type, sample, Map.of()), anthropic, Set.of(401), "invalid_api_key");
        refusal(route, "a revoked key", send(route, path, keys.revokedOfA(), type, sample, Map.of()), anthropic,
                Set.of(401), "invalid_api_key");
        refusal(route, "an expired key", send(route, path, keys.expiredOfA(), type, sample, Map.of()), anthropic,
                Set.of(401), "invalid_api_key");
        refusal(route, "a platform admin key", send(route, path, keys.platform(), type, sample, Map.of()), anthropic,
                Set.of(401), "invalid_api_key");
        Map<String, String> othersProject = Map.of("X-Project-ID", projectOfA);
        Answer other = send(route, path, keys.ofB(), type, sample, othersProject);
        if (governed) {
            // docs/gateway.md: another organisation's project is refused as an unknown one, before any money moves.
            refusal(route, "another organisation's key naming its project", other, anthropic, Set.of(400),
                    "unknown_project");
        } else if (other.status() >= 500 || other.status() < 0) {
            findings.add(route + " with another organisation's key answered " + other.status() + ": " + other.brief());
        } else if (other.status() >= 400) {
            refusal(route, "another organisation's key", other, anthropic, Set.of(other.status()), null);
        }
        noDataOfA(route, "another organisation's key", other);
        if (body) {
            malformed(route, path, anthropic, sample);
        }
        wrongMethod(route, path, anthropic);
    }

    private void malformed(Route route, String path, boolean anthropic, String sample) {
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("a body that is not JSON", "{\"model\": \"not json");
        bodies.put("a JSON array", "[1, 2, 3]");
        bodies.put("a JSON string", "\"hello\"");
        bodies.put("an empty object", "{}");
        ObjectNode wrongModel = (ObjectNode) JSON.readTree(sample);
        wrongModel.put("model", 42);
        bodies.put("a number as the model", JSON.writeValueAsString(wrongModel));
        ObjectNode sampleObject = (ObjectNode) JSON.readTree(sample);
        for (String field : sampleObject.propertyNames()) {
            if (sampleObject.get(field).isNumber()) {
                ObjectNode huge = sampleObject.deepCopy();
                huge.put(field, new java.math.BigInteger("1" + "0".repeat(40)));
                bodies.put(field + " past any integer", JSON.writeValueAsString(huge));
                ObjectNode negative = sampleObject.deepCopy();
                negative.put(field, -1);
                bodies.put(field + " negative", JSON.writeValueAsString(negative));
            }
        }
        bodies.forEach((what, malformed) -> refusal(route, "the right key and " + what,
                send(route, path, keys.ofA(), "application/json", malformed, Map.of()), anthropic, Set.of(400),
                null));
        refusal(route, "the right key and Content-Type text/plain",
                send(route, path, keys.ofA(), "text/plain", sample, Map.of()), anthropic, Set.of(415),
                "unsupported_media_type");
    }

    private void wrongMethod(Route route, String path, boolean anthropic) {
        String other = route.method().equals("DELETE") ? "PUT" : "DELETE";
        Answer answer = send(new Route(other, route.pattern()), path, keys.ofA(), null, null, Map.of());
        refusal(route, other + " instead of " + route.method(), answer, anthropic, Set.of(405), "method_not_allowed");
        if (answer.status() == 405 && answer.allow() == null) {
            findings.add(route + " answered " + other + " with 405 but no Allow header");
        }
    }

    /**
     * The answer is a refusal with one of {@code statuses}, in OpenAI's error JSON ({@code error.message},
     * {@code error.type}, {@code error.code}, the {@code param} key) or Anthropic's ({@code type: error},
     * {@code error.type}, {@code error.message}), with {@code code} when given, and no framework's words.
     */
    private void refusal(Route route, String caller, Answer answer, boolean anthropic, Set<Integer> statuses,
            String code) {
        if (!statuses.contains(answer.status())) {
            findings.add(route + " with " + caller + ": expected " + statuses + ", got " + answer.status() + ": "
                    + answer.brief());
            return;
        }
        if (answer.contentType() == null || !answer.contentType().toLowerCase(Locale.ROOT)
                .startsWith("application/json")) {
            findings.add(route + " with " + caller + " answered Content-Type " + answer.contentType());
        }
        JsonNode json = answer.json();
        JsonNode error = json.path("error");
        String actualCode;
        if (anthropic) {
            boolean shaped = json.path("type").asString("").equals("error") && error.path("type").isString()
                    && error.path("message").isString() && !error.has("code");
            if (!shaped) {
                findings.add(route + " with " + caller + " answered without Anthropic's error JSON: "
                        + answer.brief());
                return;
            }
            actualCode = error.path("details").path("error_code").asString(null);
        } else {
            boolean shaped = error.path("message").isString() && error.path("type").isString()
                    && error.has("param") && error.path("code").isString();
            if (!shaped) {
                findings.add(route + " with " + caller + " answered without OpenAI's error JSON: " + answer.brief());
                return;
            }
            actualCode = error.path("code").asString();
        }
        if (code != null && !code.equals(actualCode)) {
            findings.add(route + " with " + caller + ": expected the code " + code + ", got " + actualCode + ": "
                    + answer.brief());
        }
        noFrameworkWords(route, caller, answer);
    }

    private void noFrameworkWords(Route route, String caller, Answer answer) {
        String message = answer.json().path("error").path("message").asString("").toLowerCase(Locale.ROOT);
        for (String word : FRAMEWORK_WORDS) {
            if (message.contains(word)) {
                findings.add(route + " with " + caller + " answered a framework message (" + word.strip() + "): "
                        + answer.brief());
                return;
            }
        }
    }

    private void noDataOfA(Route route, String caller, Answer answer) {
        for (String id : idsOfA) {
            // The project id B itself sent may come back in the refusal ("unknown project X"): that tells nothing.
            if (!id.equals(projectOfA) && answer.body().contains(id)) {
                findings.add(route + " with " + caller + " answered " + answer.status() + " with " + id
                        + ", an id of organisation A: " + answer.brief());
                return;
            }
        }
    }

    private Answer send(Route route, String path, String key, String contentType, String body,
            Map<String, String> headers) {
        Answer first = sendOnce(route, path, key, contentType, body, headers);
        if (first.status() != 503 || first.retryAfter() == null) {
            return first;
        }
        // A 503 with Retry-After (the ledger slow to answer the quota view) is an answer to retry, as a client does:
        // asked again every Retry-After seconds (1 to 5) until it is something else, three more times at most.
        Duration every = Duration.ofSeconds(Math.max(1, Math.min(5, Integer.parseInt(first.retryAfter()))));
        AtomicReference<Answer> last = new AtomicReference<>(first);
        try {
            Awaitility.await().pollDelay(every).pollInterval(every).atMost(every.multipliedBy(3).plusMillis(500))
                    .until(() -> last.updateAndGet(previous -> sendOnce(route, path, key, contentType, body,
                            headers)).status() != 503);
        } catch (ConditionTimeoutException stillUnavailable) {
            // The last 503 is the answer the suite judges.
        }
        return last.get();
    }

    private Answer sendOnce(Route route, String path, String key, String contentType, String body,
            Map<String, String> headers) {
        String method = route.method().equals("ANY") ? "GET" : route.method();
        // The actuator's endpoints speak other types than JSON too (Prometheus's text): any is accepted.
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
                .header("Accept", path.startsWith("/actuator") ? "*/*" : "application/json");
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body() == null ? "" : response.body(),
                    response.headers().firstValue("Content-Type").orElse(null),
                    response.headers().firstValue("Allow").orElse(null),
                    response.headers().firstValue("Retry-After").orElse(null));
        } catch (IOException e) {
            findings.add(route + " " + method + " " + path + " failed: " + e);
            return new Answer(-1, "", null, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private record Answer(int status, String body, String contentType, String allow, String retryAfter) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (RuntimeException e) {
                return JSON.missingNode();
            }
        }

        String brief() {
            return status + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
    }
}
