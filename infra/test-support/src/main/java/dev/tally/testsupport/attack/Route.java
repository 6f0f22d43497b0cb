package dev.tally.testsupport.attack;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One route as its handler mapping declares it: {@code GET /orgs/{orgId}/usage}. */
public record Route(String method, String pattern) implements Comparable<Route> {

    private static final Pattern VARIABLE = Pattern.compile("\\{\\*?([^}:]+)(:[^}]*)?}");

    public static Route of(String text) {
        int space = text.indexOf(' ');
        return new Route(text.substring(0, space), text.substring(space + 1));
    }

    public boolean takesBody() {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    /**
     * The path with every variable replaced by its value: the value of {@code <pattern> <name>} (for this route
     * only), else of {@code <segment>.<name>} (the literal segment before the variable, e.g. {@code channels.id} for
     * {@code /channels/{id}}), else of {@code <name>}; a variable without a value fails.
     */
    public String path(Map<String, String> values) {
        Matcher matcher = VARIABLE.matcher(pattern);
        StringBuilder path = new StringBuilder();
        while (matcher.find()) {
            String before = pattern.substring(0, matcher.start());
            String[] segments = before.split("/");
            String segment = segments.length == 0 ? "" : segments[segments.length - 1];
            String name = matcher.group(1);
            String value = values.getOrDefault(pattern + " " + name,
                    values.getOrDefault(segment + "." + name, values.get(name)));
            if (value == null) {
                throw new IllegalArgumentException("no value for {" + matcher.group(1) + "} of " + this);
            }
            matcher.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(path);
        return path.toString();
    }

    @Override
    public int compareTo(Route other) {
        int byPattern = pattern.compareTo(other.pattern);
        return byPattern != 0 ? byPattern : method.compareTo(other.method);
    }

    @Override
    public String toString() {
        return method + " " + pattern;
    }
}
