package dev.tally.testsupport.attack;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bodies an admin route must refuse, made from one body it accepts: a field of the wrong JSON type, a required field
 * missing, a number beyond any bound (up to and past {@code Long.MAX_VALUE}), a 100 KB string, an unknown extra field.
 * Each comes with the field the refusal must name. Generated with jqwik's arbitraries and drawn from outside a
 * property ({@link Arbitrary#sampleStream()}), since the routes live in a Spring test that jqwik's engine does not run.
 */
public final class MalformedBodies {

    /** A body to send and the field its refusal must name. */
    public record Case(String description, Map<String, Object> body, String field) {
        @Override
        public String toString() {
            return description;
        }
    }

    private static final String LONG_STRING = "x".repeat(100 * 1024);

    private MalformedBodies() {
    }

    /**
     * @param valid    a body the route accepts
     * @param required the fields that must be present (a missing one must be refused)
     * @param bounded  the numeric fields that have an upper bound (a huge value must be refused); every string field
     *                 must refuse 100 KB
     */
    public static Arbitrary<Case> of(Map<String, Object> valid, Set<String> required, Set<String> bounded) {
        List<String> fields = List.copyOf(valid.keySet());
        Arbitrary<String> field = Arbitraries.of(fields);
        Arbitrary<Case> wrongType = Combinators.combine(field, Arbitraries.integers().between(0, 4))
                .as((name, kind) -> wrongType(valid, name, kind));
        Arbitrary<Case> extra = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(3).ofMaxLength(12)
                .map(name -> with(valid, "x_" + name, "surprise", "an unknown field x_" + name, "x_" + name));
        Arbitrary<Case> missing = required.isEmpty() ? extra : Arbitraries.of(List.copyOf(required))
                .map(name -> {
                    Map<String, Object> body = new LinkedHashMap<>(valid);
                    body.remove(name);
                    return new Case("without " + name, body, name);
                });
        Arbitrary<Case> huge = bounded.isEmpty() ? extra : Combinators.combine(Arbitraries.of(List.copyOf(bounded)),
                Arbitraries.of(hugeNumbers())).as((name, number) ->
                with(valid, name, number, name + " = " + number, name));
        List<String> strings = fields.stream().filter(name -> valid.get(name) instanceof String).toList();
        Arbitrary<Case> longString = strings.isEmpty() ? extra : Arbitraries.of(strings)
                .map(name -> with(valid, name, LONG_STRING, name + " of 100 KB", name));
        return Arbitraries.oneOf(wrongType, extra, missing, huge, longString);
    }

    private static List<Object> hugeNumbers() {
        return List.of(Long.MAX_VALUE, Long.MAX_VALUE - 1, BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE),
                new BigInteger("1" + "0".repeat(40)), 1_000_000_000_000_001L, new BigDecimal("1e300"),
                -Long.MAX_VALUE);
    }

    /** Another JSON type than the valid value's: a string for a number, a number for a string, and so on. */
    private static Case wrongType(Map<String, Object> valid, String name, int kind) {
        Object value = valid.get(name);
        List<Object> others = new java.util.ArrayList<>(List.of("text", 12, true, Map.of("nested", 1), List.of(1, 2)));
        others.removeIf(other -> sameType(other, value));
        Object wrong = others.get(kind % others.size());
        return with(valid, name, wrong, name + " = " + describe(wrong), name);
    }

    private static boolean sameType(Object a, Object b) {
        if (a instanceof Number && b instanceof Number) {
            return true;
        }
        if (a instanceof Map && b instanceof Map || a instanceof List && b instanceof List) {
            return true;
        }
        return a.getClass().equals(b.getClass());
    }

    private static String describe(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    private static Case with(Map<String, Object> valid, String name, Object value, String description, String field) {
        Map<String, Object> body = new LinkedHashMap<>(valid);
        body.put(name, value);
        return new Case(description, body, field);
    }
}
