package dev.tally.helm;

import java.util.List;
import java.util.Map;

/** Navigation in parsed YAML (maps and lists), failing with the path when a step is missing. */
final class Yamls {

    private Yamls() {
    }

    static Object at(Object root, String... path) {
        Object current = root;
        for (String step : path) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(step)) {
                throw new AssertionError("no " + String.join(".", path) + " (stopped at " + step + ")");
            }
            current = map.get(step);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object root, String... path) {
        return (Map<String, Object>) at(root, path);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object root, String... path) {
        return (List<Map<String, Object>>) at(root, path);
    }

    static String string(Object root, String... path) {
        return String.valueOf(at(root, path));
    }
}
