package dev.tally.testsupport.apireference;

import dev.tally.testsupport.attack.Route;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Compares the routes a service serves (its handler mappings, {@link dev.tally.testsupport.attack.RouteInventory})
 * with the paths and operations of its OpenAPI document. A route the code serves and the document leaves out is a
 * finding, so the API reference cannot fall behind the code. The actuator, Spring Boot's static resource handlers and
 * the reference's own routes are not part of the API and are not expected in it.
 */
public final class ApiReferenceCoverage {

    private static final Pattern VARIABLE_REGEX = Pattern.compile("\\{(\\w+):[^}]*}");
    private static final List<String> NOT_THE_API = List.of("/actuator", "/v3/api-docs", "/swagger-ui",
            "/webjars/");

    private ApiReferenceCoverage() {
    }

    /** Each served API route missing from the document, as {@code GET /orgs/{orgId}}; empty when all are there. */
    public static Set<String> missing(Set<Route> served, JsonNode document) {
        Set<String> missing = new TreeSet<>();
        JsonNode paths = document.path("paths");
        for (Route route : served) {
            String pattern = VARIABLE_REGEX.matcher(route.pattern()).replaceAll("{$1}");
            if (!isApi(pattern)) {
                continue;
            }
            JsonNode operations = paths.path(pattern);
            boolean documented = route.method().equals("ANY")
                    ? operations.isObject() && !operations.isEmpty()
                    : operations.has(route.method().toLowerCase(Locale.ROOT));
            if (!documented) {
                missing.add(route.method() + " " + pattern);
            }
        }
        return missing;
    }

    /**
     * A functional route is listed by its predicate ({@code (GET && /things)}), which is no document path: it counts
     * as missing until the service describes it (springdoc's {@code @RouterOperation}) and this class learns to match.
     */
    private static boolean isApi(String pattern) {
        return !pattern.equals("/**") && NOT_THE_API.stream().noneMatch(pattern::startsWith);
    }
}
