package dev.tally.events;

import com.networknt.schema.Error;
import com.networknt.schema.ExecutionConfig;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.tally.events.envelope.MessageType;
import dev.tally.events.gateway.GatewayMessageTypes;
import dev.tally.events.governance.ApiKeyState;
import dev.tally.events.governance.CredentialState;
import dev.tally.events.governance.GovernanceMessageTypes;
import dev.tally.events.governance.MemberState;
import dev.tally.events.governance.PolicyState;
import dev.tally.events.governance.PriceState;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.CreditReservedEvent;
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.events.ledger.Priority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every message has a JSON Schema under {@code schemas/<domain>}, e.g. {@code schemas/ledger},
 * {@code schemas/governance} and {@code schemas/gateway}, and what {@link TallyJson} writes conforms.
 */
class SchemaConformanceTest {

    private static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    /** In 2020-12 {@code format} only annotates by default; the catalog means it, so it is asserted. */
    private static final ExecutionConfig ASSERT_FORMATS = ExecutionConfig.builder().formatAssertionsEnabled(true).build();
    /**
     * A {@link LocalTime} as Jackson writes it, e.g. {@code 07:30:00}. Not {@code format: time}: that is RFC 3339
     * full-time, which demands a UTC offset that a local time does not have.
     */
    private static final String LOCAL_TIME_PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?$";

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tally.events.SampleMessages#types")
    void every_message_type_has_a_schema_with_its_id_title_and_closed_shape(MessageType<?> type) {
        JsonNode schema = schemaJson(type);

        assertThat(schema.path("$schema").asString()).isEqualTo(DRAFT_2020_12);
        assertThat(schema.path("$id").asString())
                .isEqualTo("https://tally.dev/schemas/" + type.domain() + "/" + type.name() + ".v" + type.version()
                        + ".schema.json");
        assertThat(schema.path("title").asString()).isEqualTo(type.name());
        assertThat(schema.path("description").asString()).isNotBlank().doesNotContain("\n");
        assertThat(schema.path("type").asString()).isEqualTo("object");
        assertThat(schema.path("additionalProperties").isBoolean()
                && !schema.path("additionalProperties").booleanValue()).as("additionalProperties is false").isTrue();
        for (var def : schema.path("$defs").properties()) {
            if ("object".equals(def.getValue().path("type").asString())) {
                assertThat(def.getValue().path("additionalProperties").asBoolean(true))
                        .as("$defs/%s is closed", def.getKey()).isFalse();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tally.events.SampleMessages#types")
    void every_serialized_sample_validates_against_its_schema(MessageType<?> type) {
        assertThat(errors(type, sampleJson(type))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tally.events.SampleMessages#types")
    void schema_properties_are_exactly_the_serialized_field_names(MessageType<?> type) {
        assertThat(schemaJson(type).path("properties").propertyNames())
                .containsExactlyInAnyOrderElementsOf(sampleJson(type).propertyNames());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tally.events.SampleMessages#types")
    void an_unknown_extra_field_is_rejected(MessageType<?> type) {
        ObjectNode json = sampleJson(type);
        json.put("added_without_a_schema_change", "surprise");

        assertThat(errors(type, json)).extracting(Error::getKeyword).contains("additionalProperties");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tally.events.SampleMessages#types")
    void a_message_missing_any_required_field_is_rejected(MessageType<?> type) {
        List<String> required = required(schemaJson(type));
        assertThat(required).as("required properties of %s", type.name()).isNotEmpty();

        for (String field : required) {
            ObjectNode json = sampleJson(type);
            json.remove(field);

            assertThat(errors(type, json)).as("%s without %s", type.name(), field)
                    .extracting(Error::getKeyword).contains("required");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tally.events.SampleMessages#types")
    void required_fields_reject_null_and_optional_fields_accept_it(MessageType<?> type) {
        JsonNode schema = schemaJson(type);
        List<String> required = required(schema);

        for (String field : schema.path("properties").propertyNames()) {
            ObjectNode json = sampleJson(type);
            json.putNull(field);

            if (required.contains(field)) {
                assertThat(errors(type, json)).as("%s with %s null", type.name(), field).isNotEmpty();
            } else {
                assertThat(errors(type, json)).as("%s with %s null", type.name(), field).isEmpty();
            }
        }
    }

    /** The schema is written by hand; this keeps its types, nullability and enum values in step with the records. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tally.events.SampleMessages#types")
    void schema_types_follow_the_java_record(MessageType<?> type) {
        JsonNode schema = schemaJson(type);

        assertObjectMatches(schema, schema, type.javaType(), type.name());
    }

    @Test
    void malformed_instants_and_dates_are_rejected() {
        MessageType<?> type = LedgerMessageTypes.of(CreditReservedEvent.class);

        ObjectNode badInstant = sampleJson(type);
        badInstant.put("occurred_at", "23.11.2026 10:15");
        ObjectNode epochInstant = sampleJson(type);
        epochInstant.put("expires_at", 1795428930L);
        ObjectNode badDate = sampleJson(type);
        ((ObjectNode) badDate.path("budgets").get(0)).put("window_start", "2026-11");

        assertThat(errors(type, badInstant)).extracting(Error::getKeyword).contains("format");
        assertThat(errors(type, epochInstant)).extracting(Error::getKeyword).contains("type");
        assertThat(errors(type, badDate)).extracting(Error::getKeyword).contains("format");
    }

    @Test
    void unknown_fields_in_nested_objects_and_unknown_enum_values_are_rejected() {
        MessageType<?> type = LedgerMessageTypes.of(CreditReservedEvent.class);

        ObjectNode extraInLeg = sampleJson(type);
        ((ObjectNode) extraInLeg.path("legs").get(0)).put("currency", "EUR");
        ObjectNode unknownPriority = sampleJson(type);
        unknownPriority.put("priority", "URGENT");
        ObjectNode unknownLevel = sampleJson(type);
        ((ObjectNode) unknownLevel.path("scope_chain").get(0)).put("level", "TEAM");

        assertThat(errors(type, extraInLeg)).extracting(Error::getKeyword).contains("additionalProperties");
        assertThat(errors(type, unknownPriority)).extracting(Error::getKeyword).contains("enum");
        assertThat(errors(type, unknownLevel)).extracting(Error::getKeyword).contains("enum");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tally.events.SampleMessages#domains")
    void every_schema_file_belongs_to_a_registered_message_type(String domain) throws IOException {
        Path dir = Path.of(System.getProperty("basedir", ".")).resolve("src/main/resources/schemas/" + domain);
        List<String> expected = SampleMessages.registered().stream().filter(type -> type.domain().equals(domain))
                .map(SchemaConformanceTest::resource).map(r -> r.substring(r.lastIndexOf('/') + 1)).sorted().toList();

        List<String> present;
        try (Stream<Path> files = Files.list(dir)) {
            present = files.map(f -> f.getFileName().toString()).sorted().toList();
        }

        assertThat(present).containsExactlyElementsOf(expected);
    }

    @Test
    void malformed_times_days_and_prices_are_rejected() {
        MessageType<?> policy = GovernanceMessageTypes.of(PolicyState.class);
        MessageType<?> price = GovernanceMessageTypes.of(PriceState.class);

        ObjectNode shortTime = sampleJson(policy);
        window(shortTime).put("start", "7:30");
        ObjectNode noSeconds = sampleJson(policy);
        window(noSeconds).put("start", "07:30");
        ObjectNode hour24 = sampleJson(policy);
        window(hour24).put("end", "24:00:00");
        ObjectNode withOffset = sampleJson(policy);
        window(withOffset).put("end", "19:00:00+01:00");
        ObjectNode unknownDay = sampleJson(policy);
        window(unknownDay).putArray("days").add("MON");
        ObjectNode noDays = sampleJson(policy);
        window(noDays).putArray("days");
        ObjectNode priceAsString = sampleJson(price);
        priceAsString.put("input_usd_per_1k", "0.00015");
        ObjectNode negativePrice = sampleJson(price);
        negativePrice.put("output_usd_per_1k", new BigDecimal("-0.0006"));
        ObjectNode negativeCachedPrice = sampleJson(price);
        negativeCachedPrice.put("cached_input_usd_per_1k", new BigDecimal("-0.000075"));

        for (ObjectNode json : List.of(shortTime, noSeconds, hour24, withOffset)) {
            assertThat(errors(policy, json)).as("%s", window(json)).extracting(Error::getKeyword).contains("pattern");
        }
        assertThat(errors(policy, unknownDay)).extracting(Error::getKeyword).contains("enum");
        assertThat(errors(policy, noDays)).extracting(Error::getKeyword).contains("minItems");
        assertThat(errors(price, priceAsString)).extracting(Error::getKeyword).contains("type");
        assertThat(errors(price, negativePrice)).extracting(Error::getKeyword).contains("minimum");
        assertThat(errors(price, negativeCachedPrice)).extracting(Error::getKeyword).contains("minimum");
    }

    @Test
    void a_price_written_before_the_cache_and_reasoning_rates_still_conforms() {
        MessageType<?> price = GovernanceMessageTypes.of(PriceState.class);
        ObjectNode old = sampleJson(price);
        old.remove(List.of("cached_input_usd_per_1k", "cache_write_usd_per_1k", "reasoning_usd_per_1k"));

        assertThat(errors(price, old)).isEmpty();
    }

    @Test
    void sub_second_times_and_exact_decimals_conform() {
        MessageType<?> policy = GovernanceMessageTypes.of(PolicyState.class);
        MessageType<?> price = GovernanceMessageTypes.of(PriceState.class);

        ObjectNode fraction = sampleJson(policy);
        window(fraction).put("end", "18:59:59.999999999");
        ObjectNode tiny = sampleJson(price);
        tiny.put("input_usd_per_1k", new BigDecimal("1E-7"));

        assertThat(errors(policy, fraction)).isEmpty();
        assertThat(errors(price, tiny)).isEmpty();
    }

    @Test
    void unknown_fields_in_governance_objects_and_unknown_statuses_are_rejected() {
        MessageType<?> policy = GovernanceMessageTypes.of(PolicyState.class);
        MessageType<?> member = GovernanceMessageTypes.of(MemberState.class);

        ObjectNode extraInWindow = sampleJson(policy);
        window(extraInWindow).put("holidays", true);
        ObjectNode extraInTarget = sampleJson(policy);
        ((ObjectNode) extraInTarget.path("target")).put("name", "Support bots");
        ObjectNode zeroLimit = sampleJson(policy);
        zeroLimit.put("rpm_limit", 0);
        ObjectNode unknownStatus = sampleJson(member);
        unknownStatus.put("status", "ON_LEAVE");

        assertThat(errors(policy, extraInWindow)).extracting(Error::getKeyword).contains("additionalProperties");
        assertThat(errors(policy, extraInTarget)).extracting(Error::getKeyword).contains("additionalProperties");
        assertThat(errors(policy, zeroLimit)).extracting(Error::getKeyword).contains("minimum");
        assertThat(errors(member, unknownStatus)).extracting(Error::getKeyword).contains("enum");
    }

    @Test
    void key_hashes_are_lower_case_sha_256_hex_and_ciphertexts_base64() {
        MessageType<?> apiKey = GovernanceMessageTypes.of(ApiKeyState.class);
        MessageType<?> credential = GovernanceMessageTypes.of(CredentialState.class);

        ObjectNode upperCase = sampleJson(apiKey);
        upperCase.put("key_hash", upperCase.path("key_hash").asString().toUpperCase());
        ObjectNode plaintextKey = sampleJson(apiKey);
        plaintextKey.put("key_hash", "cpk_live_7Hq2mR9vLx4TnB8sW3eYk1Jd");
        ObjectNode notBase64 = sampleJson(credential);
        notBase64.put("ciphertext", "sk-proj-not-encrypted");

        assertThat(errors(apiKey, upperCase)).extracting(Error::getKeyword).contains("pattern");
        assertThat(errors(apiKey, plaintextKey)).extracting(Error::getKeyword).contains("pattern");
        assertThat(errors(credential, notBase64)).extracting(Error::getKeyword).contains("pattern");
    }

    @Test
    void gateway_priorities_are_ledger_priorities_and_counts_and_statuses_are_checked() {
        MessageType<?> request = GatewayMessageTypes.REQUEST;
        List<String> priorities = new ArrayList<>();
        schemaJson(request).path("properties").path("priority").path("enum")
                .forEach(value -> priorities.add(value.asString()));

        ObjectNode unknownPriority = sampleJson(request);
        unknownPriority.put("priority", "URGENT");
        ObjectNode unknownOutcome = sampleJson(request);
        unknownOutcome.put("outcome", "TIMEOUT");
        ObjectNode unknownKind = sampleJson(request);
        unknownKind.put("member_kind", "ROBOT");
        ObjectNode negativeCharge = sampleJson(request);
        negativeCharge.put("charged_credits", -1);
        ObjectNode negativeLatency = sampleJson(request);
        negativeLatency.put("provider_latency_ms", -5);
        ObjectNode notAStatus = sampleJson(request);
        notAStatus.put("http_status", 42);
        ObjectNode refusal = sampleJson(request);
        refusal.put("outcome", "BUDGET_EXCEEDED").put("http_status", 402).put("error_code", "budget_exceeded")
                .put("budget_id", "bgt-support-bots-monthly").put("reserved_credits", 0).put("charged_credits", 0)
                .put("completion_tokens", 0).putNull("provider");

        assertThat(priorities).containsExactlyElementsOf(Arrays.stream(Priority.values()).map(Enum::name).toList());
        assertThat(errors(request, unknownPriority)).extracting(Error::getKeyword).contains("enum");
        assertThat(errors(request, unknownOutcome)).extracting(Error::getKeyword).contains("enum");
        assertThat(errors(request, unknownKind)).isNotEmpty();
        assertThat(errors(request, negativeCharge)).extracting(Error::getKeyword).contains("minimum");
        assertThat(errors(request, negativeLatency)).extracting(Error::getKeyword).contains("minimum");
        assertThat(errors(request, notAStatus)).extracting(Error::getKeyword).contains("minimum");
        assertThat(errors(request, refusal)).isEmpty();
    }

    private static ObjectNode window(ObjectNode policy) {
        return (ObjectNode) policy.path("time_windows").get(0);
    }

    private static void assertObjectMatches(JsonNode root, JsonNode objectSchema, Class<?> record, String path) {
        assertThat(record.isRecord()).as("%s is a record", path).isTrue();
        RecordComponent[] components = record.getRecordComponents();
        List<String> names = Arrays.stream(components).map(SchemaConformanceTest::jsonName).toList();
        assertThat(objectSchema.path("properties").propertyNames()).as("properties of %s", path)
                .containsExactlyInAnyOrderElementsOf(names);
        List<String> required = required(objectSchema);
        for (RecordComponent component : components) {
            String name = jsonName(component);
            String at = path + "." + name;
            JsonNode property = objectSchema.path("properties").path(name);
            assertThat(property.path("description").asString()).as("description of %s", at).isNotBlank()
                    .doesNotContain("\n");
            if (component.getType().isPrimitive()) {
                // Jackson 3 refuses a missing or null primitive, so the schema must demand it.
                assertThat(required).as("%s is primitive, so required", at).contains(name);
            }
            assertTypeMatches(root, property, component.getGenericType(), required.contains(name), at);
        }
    }

    private static void assertTypeMatches(JsonNode root, JsonNode schema, Type javaType, boolean required, String at) {
        if (schema.has("anyOf")) {
            // A nullable enum or nested record: anyOf [{"$ref": ...}, {"type": "null"}].
            JsonNode branches = schema.path("anyOf");
            assertThat(required).as("%s is anyOf a type or null, so optional", at).isFalse();
            assertThat(branches.size()).as("branches of anyOf of %s", at).isEqualTo(2);
            assertThat(types(branches.get(1))).as("second branch of anyOf of %s", at).containsExactly("null");
            assertTypeMatches(root, branches.get(0), javaType, true, at);
            return;
        }
        Set<String> types = types(schema);
        if (required) {
            assertThat(types).as("%s is required, so not nullable", at).doesNotContain("null");
        } else {
            assertThat(types).as("%s is optional, so nullable", at).contains("null");
        }
        if (javaType instanceof ParameterizedType list && list.getRawType() == List.class) {
            assertThat(types).as("type of %s", at).contains("array");
            assertTypeMatches(root, schema.path("items"), list.getActualTypeArguments()[0], true, at + "[]");
            return;
        }
        Class<?> type = (Class<?>) javaType;
        if (type == String.class) {
            assertThat(types).as("type of %s", at).contains("string");
            assertThat(schema.has("format")).as("%s has no format", at).isFalse();
        } else if (type == long.class || type == int.class || type == Long.class || type == Integer.class) {
            assertThat(types).as("type of %s", at).contains("integer");
        } else if (type == boolean.class || type == Boolean.class) {
            assertThat(types).as("type of %s", at).contains("boolean");
        } else if (type == Instant.class) {
            assertThat(types).as("type of %s", at).contains("string");
            assertThat(schema.path("format").asString()).as("format of %s", at).isEqualTo("date-time");
        } else if (type == LocalDate.class) {
            assertThat(types).as("type of %s", at).contains("string");
            assertThat(schema.path("format").asString()).as("format of %s", at).isEqualTo("date");
        } else if (type == LocalTime.class) {
            assertThat(types).as("type of %s", at).contains("string");
            assertThat(schema.has("format")).as("%s has no format", at).isFalse();
            assertThat(schema.path("pattern").asString()).as("pattern of %s", at).isEqualTo(LOCAL_TIME_PATTERN);
        } else if (type == BigDecimal.class) {
            // TallyJson writes a BigDecimal as a JSON number, exactly as BigDecimal.toString() gives it.
            assertThat(types).as("type of %s", at).contains("number").doesNotContain("string");
        } else if (type.isEnum()) {
            JsonNode def = definition(root, schema, type, at);
            assertThat(def.path("description").asString()).as("description of $defs/%s", type.getSimpleName())
                    .isNotBlank();
            List<String> values = new ArrayList<>();
            def.path("enum").forEach(v -> values.add(v.asString()));
            List<String> constants = Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
            assertThat(values).as("enum values of %s", at).containsExactlyElementsOf(constants);
        } else if (type.isRecord()) {
            JsonNode def = definition(root, schema, type, at);
            assertThat(def.path("description").asString()).as("description of $defs/%s", type.getSimpleName())
                    .isNotBlank();
            assertObjectMatches(root, def, type, at);
        } else {
            throw new AssertionError("no schema rule for " + type.getName() + " at " + at);
        }
    }

    /** A nested type is defined once under {@code $defs}, named like its Java class. */
    private static JsonNode definition(JsonNode root, JsonNode schema, Class<?> type, String at) {
        assertThat(schema.path("$ref").asString()).as("$ref of %s", at).isEqualTo("#/$defs/" + type.getSimpleName());
        JsonNode def = root.path("$defs").path(type.getSimpleName());
        assertThat(def.isObject()).as("$defs/%s exists", type.getSimpleName()).isTrue();
        return def;
    }

    private static Set<String> types(JsonNode schema) {
        JsonNode type = schema.path("type");
        Set<String> types = new HashSet<>();
        if (type.isArray()) {
            type.forEach(t -> types.add(t.asString()));
        } else if (type.isString()) {
            types.add(type.asString());
        }
        return types;
    }

    private static List<String> required(JsonNode objectSchema) {
        List<String> required = new ArrayList<>();
        objectSchema.path("required").forEach(r -> required.add(r.asString()));
        return required;
    }

    /** The property name Jackson writes: an explicit {@code @JsonProperty}, else the snake_case of the name. */
    private static String jsonName(RecordComponent component) {
        // Read from the accessor: @JsonProperty does not target record components, so javac copies it there.
        var explicit = component.getAccessor().getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
        return explicit != null ? explicit.value() : snakeCase(component.getName());
    }

    private static String snakeCase(String camelCase) {
        return camelCase.replaceAll("([A-Z])", "_$1").toLowerCase();
    }

    private static List<Error> errors(MessageType<?> type, JsonNode json) {
        return schema(type).validate(json, context -> context.setExecutionConfig(ASSERT_FORMATS));
    }

    private static ObjectNode sampleJson(MessageType<?> type) {
        return (ObjectNode) TallyJson.mapper().readTree(TallyJson.write(SampleMessages.of(type)));
    }

    private static Schema schema(MessageType<?> type) {
        return REGISTRY.getSchema(schemaJson(type));
    }

    private static JsonNode schemaJson(MessageType<?> type) {
        String resource = resource(type);
        try (InputStream in = SchemaConformanceTest.class.getResourceAsStream(resource)) {
            assertThat(in).as("schema %s on the classpath", resource).isNotNull();
            return TallyJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + resource, e);
        }
    }

    private static String resource(MessageType<?> type) {
        return "/schemas/" + type.domain() + "/" + type.name() + ".v" + type.version() + ".schema.json";
    }
}
