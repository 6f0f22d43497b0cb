package dev.tally.servicekit.auth;

/**
 * The API reference every admin service serves (springdoc): the OpenAPI document under {@code /v3/api-docs} and its
 * UI under {@code /swagger-ui.html} and {@code /swagger-ui/} (and its webjar). Open without a key, because the
 * document only describes routes and schemas that docs/ already publishes, names no tenant and no version of anything
 * that runs, and the UI's "try it out" calls go through the same key check as any other client (docs/security.md).
 */
public final class ApiReferencePaths {

    private ApiReferencePaths() {
    }

    /** {@code path} as {@link ActuatorPaths#pathOf} gives it: decoded, so encoded tricks land on the real rule. */
    public static boolean isApiReference(String path) {
        return path.equals("/v3/api-docs") || path.startsWith("/v3/api-docs/") || path.equals("/v3/api-docs.yaml")
                || path.equals("/swagger-ui.html") || path.startsWith("/swagger-ui/") || isSwaggerUiWebjar(path);
    }

    /** springdoc also maps the UI's webjar as {@code /webjars/*swagger-ui/**}: the same rule, segment by segment. */
    private static boolean isSwaggerUiWebjar(String path) {
        if (!path.startsWith("/webjars/")) {
            return false;
        }
        int end = path.indexOf('/', "/webjars/".length());
        return end > 0 && path.substring(0, end).endsWith("swagger-ui");
    }
}
