package dev.tally.testsupport.attack;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Sends every route of a service the requests an attacker would: no key, a gateway key where an admin key is needed,
 * another organisation's admin key, an organisation admin's key on a platform route, and a body that is not JSON or
 * not a JSON object. Each route must be classified ({@link Access}) by the service's suite; a route the service serves
 * that nobody classified is a finding, so a new route cannot be left open silently. Every finding is collected, so
 * one run lists every problem.
 */
public final class RouteAttack {

    /** Who may call a route, as docs/security.md says. */
    public enum Access {
        /** No key needed (health, static pages): must answer without a key, never 5xx. */
        PUBLIC,
        /** An admin key of the organisation the route names (or the caller's own organisation, without an id). */
        ORG_ADMIN,
        /** A platform admin key only: organisation admin keys get 403. */
        PLATFORM_ADMIN,
        /** A gateway key of a member (user routes of governance, the gateway's routes): admin keys of another
         * organisation and made-up keys get 401. */
        GATEWAY_KEY,
        /**
         * An organisation admin's route that users also reach with their gateway key for their own records or their
         * team's (governance's quota requests): what a member's key gets depends on whose record it is, so the suite
         * checks only that it never fails with a 5xx; another organisation's admin key gets 403 or 404.
         */
        ORG_ADMIN_OR_MEMBER
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final Map<Route, Access> classification;
    private final Map<String, String> pathValues;
    private final Set<String> idsOfA;
    private final String keyOfA;
    private final String adminKeyOfB;
    private final String platformKey;
    private final String gatewayKeyOfA;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final List<String> findings = new ArrayList<>();
    /** A body each body route accepts from the right caller, by route; empty: body routes are sent no body. */
    private final Map<Route, String> sampleBodies = new LinkedHashMap<>();

    /**
     * @param pathValues    a value for every path variable, ids that exist in organisation A
     * @param idsOfA        what no answer to organisation B may contain
     * @param keyOfA        an admin key of organisation A (the right key for ORG_ADMIN routes)
     * @param adminKeyOfB   an admin key of organisation B
     * @param platformKey   a platform admin key
     * @param gatewayKeyOfA a gateway key of organisation A (a real one where the service knows gateway keys)
     */
    public RouteAttack(String baseUrl, Map<String, Access> classification, Map<String, String> pathValues,
            Set<String> idsOfA, String keyOfA, String adminKeyOfB, String platformKey, String gatewayKeyOfA) {
        this.baseUrl = baseUrl;
        this.classification = new LinkedHashMap<>();
        classification.forEach((route, access) -> this.classification.put(Route.of(route), access));
        this.pathValues = pathValues;
        this.idsOfA = idsOfA;
        this.keyOfA = keyOfA;
        this.adminKeyOfB = adminKeyOfB;
        this.platformKey = platformKey;
        this.gatewayKeyOfA = gatewayKeyOfA;
    }

    /**
     * Sends each body route the keys it must refuse with a body it would accept from the right caller ({@code route
     * → JSON}, path values and ids of organisation A filled in), so that a refusal tests who may call it and which
     * organisation's ids it may touch, not how the route judges a missing body. Once given, a body route without a
     * sample is a finding.
     */
    public RouteAttack withSampleBodies(Map<String, String> bodies) {
        bodies.forEach((route, body) -> sampleBodies.put(Route.of(route), body));
        return this;
    }

    /** Every finding over the routes the service serves; empty when every route held. */
    public List<String> run(Set<Route> served, Set<Route> takingBody) {
        Set<Route> unclassified = new TreeSet<>(served);
        unclassified.removeAll(classification.keySet());
        unclassified.forEach(route -> findings.add(route + " is served but not classified: add it to the suite's "
                + "classification with who may call it (docs/security.md)"));
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
        String path = route.path(pathValues);
        String sample = body ? sampleBodies.get(route) : null;
        if (body && sample == null && !sampleBodies.isEmpty() && access != Access.PUBLIC) {
            findings.add(route + " takes a body but the suite has no sample body for it: add one");
        }
        if (access == Access.PUBLIC) {
            Answer open = send(route, path, null, null);
            if (open.status() >= 500 || open.status() == 401 || open.status() == 403) {
                findings.add(route + " is public but answered " + open.status() + " without a key");
            }
            return;
        }
        expect(route, "no key", send(route, path, null, sample), Set.of(401));
        boolean namesA = !route.pattern().equals(path) || (sample != null && idsOfA.stream().anyMatch(sample::contains));
        switch (access) {
            case ORG_ADMIN -> {
                expect(route, "a gateway key", send(route, path, gatewayKeyOfA, sample), Set.of(401, 403));
                Answer other = send(route, path, adminKeyOfB, sample);
                if (namesA) {
                    // docs/security.md: another organisation's key gets the body an unknown id gets (404); a route
                    // whose role check comes first may answer 403. Never the resource.
                    expect(route, "another organisation's admin key", other, Set.of(403, 404));
                }
                noDataOfA(route, path + " " + sample, "another organisation's admin key", other);
            }
            case PLATFORM_ADMIN -> {
                expect(route, "a gateway key", send(route, path, gatewayKeyOfA, sample), Set.of(401, 403));
                expect(route, "an organisation admin key", send(route, path, keyOfA, sample), Set.of(403));
                Answer other = send(route, path, adminKeyOfB, sample);
                expect(route, "another organisation's admin key", other, Set.of(403));
                noDataOfA(route, path + " " + sample, "another organisation's admin key", other);
            }
            case GATEWAY_KEY -> {
                expect(route, "a made-up gateway key", send(route, path, "cpk_made-up-" + path.hashCode(), sample),
                        Set.of(401));
                Answer other = send(route, path, adminKeyOfB, sample);
                if (other.status() >= 200 && other.status() < 300 || other.status() >= 500) {
                    findings.add(route + " with another organisation's admin key answered " + other.status());
                }
                noDataOfA(route, path + " " + sample, "another organisation's admin key", other);
            }
            case ORG_ADMIN_OR_MEMBER -> {
                Answer member = send(route, path, gatewayKeyOfA, sample);
                if (member.status() >= 500 || member.status() < 0) {
                    findings.add(route + " with a gateway key answered " + member.status() + ": " + member.brief());
                }
                Answer other = send(route, path, adminKeyOfB, sample);
                if (namesA) {
                    expect(route, "another organisation's admin key", other, Set.of(403, 404));
                }
                noDataOfA(route, path + " " + sample, "another organisation's admin key", other);
            }
            default -> throw new IllegalStateException("unhandled " + access);
        }
        if (body) {
            String rightKey = switch (access) {
                case PLATFORM_ADMIN -> platformKey;
                case GATEWAY_KEY -> gatewayKeyOfA;
                default -> keyOfA;
            };
            malformed(route, path, rightKey, "{\"not json", access);
            malformed(route, path, rightKey, "[1, 2, 3]", access);
        }
    }

    private void malformed(Route route, String path, String key, String body, Access access) {
        Answer answer = send(route, path, key, body);
        if (answer.status() != 400 && answer.status() != 422) {
            findings.add(route + " with the body " + body + " answered " + answer.status() + ": " + answer.brief());
            return;
        }
        if (access != Access.GATEWAY_KEY || route.pattern().startsWith("/users")) {
            JsonNode error = answer.json().path("error");
            if (!error.path("code").isString() || !error.path("message").isString()) {
                findings.add(route + " with the body " + body + " answered " + answer.status()
                        + " without the admin error JSON: " + answer.brief());
            }
        } else if (answer.json().path("error").isMissingNode()) {
            findings.add(route + " with the body " + body + " answered without an error object: " + answer.brief());
        }
    }

    private void expect(Route route, String caller, Answer answer, Set<Integer> statuses) {
        if (!statuses.contains(answer.status())) {
            findings.add(route + " with " + caller + ": expected " + statuses + ", got " + answer.status() + ": "
                    + answer.brief());
        }
    }

    private void noDataOfA(Route route, String sent, String caller, Answer answer) {
        for (String id : idsOfA) {
            // An id the caller sent (in the path or the body) may come back in the refusal ("no channel X"): that
            // tells nothing.
            if (!sent.contains(id) && answer.body().contains(id)) {
                findings.add(route + " with " + caller + " answered " + answer.status() + " with " + id
                        + ", an id of organisation A: " + answer.brief());
                return;
            }
        }
    }

    private Answer send(Route route, String path, String key, String body) {
        String method = route.method().equals("ANY") ? "GET" : route.method();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
                .header("Accept", "application/json");
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body() == null ? "" : response.body());
        } catch (IOException e) {
            findings.add(route + " " + (key == null ? "without a key" : "") + " failed: " + e);
            return new Answer(-1, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (RuntimeException e) {
                return JSON.missingNode();
            }
        }

        String brief() {
            return body.length() > 300 ? body.substring(0, 300) + "…" : body;
        }
    }
}
