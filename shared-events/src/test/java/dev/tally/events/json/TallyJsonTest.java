package dev.tally.events.json;

import dev.tally.events.SampleMessages;
import dev.tally.events.envelope.InvalidEnvelopeException;
import dev.tally.events.envelope.MessageType;
import dev.tally.events.governance.AdminKeyState;
import dev.tally.events.governance.ApiKeyState;
import dev.tally.events.governance.KeyStatus;
import dev.tally.events.gateway.GatewayRequestRecord;
import dev.tally.events.governance.PolicyState;
import dev.tally.events.governance.PriceState;
import dev.tally.events.governance.TimeWindow;
import dev.tally.events.ledger.CreditReservedEvent;
import dev.tally.events.ledger.LeaseChargedEvent;
import dev.tally.events.ledger.LeaseSettlement;
import dev.tally.events.ledger.Leg;
import dev.tally.events.ledger.SettleLeasesCommand;
import dev.tally.events.ledger.UsageRecordedEvent;
import dev.tally.events.ledger.OpenLedgerCommand;
import dev.tally.events.ledger.ReservationExpiredEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TallyJsonTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{\"ledger_id\": \"org-acme\",", "[1, 2, 3]", "\"org-acme\"",
            "{\"ledger_id\": \"org-acme\"} {\"ledger_id\": \"org-acme\"}"})
    void malformed_json_is_an_invalid_envelope(String json) {
        assertThatThrownBy(() -> TallyJson.read(bytes(json), CreditReservedEvent.class))
                .isInstanceOf(InvalidEnvelopeException.class)
                .hasMessageStartingWith("cannot read CreditReservedEvent: ")
                .hasCauseInstanceOf(JacksonException.class);
    }

    @Test
    void an_unknown_extra_property_is_tolerated_on_read() {
        CreditReservedEvent sample = SampleMessages.of(CreditReservedEvent.class);
        ObjectNode json = tree(sample);
        json.put("added_by_a_newer_producer", "ignored");
        json.putObject("nested_addition").put("anything", 42);
        ((ObjectNode) json.path("legs").get(0)).put("currency", "EUR");

        CreditReservedEvent read = TallyJson.read(TallyJson.mapper().writeValueAsBytes(json), CreditReservedEvent.class);

        assertThat(read).isEqualTo(sample);
    }

    @Test
    void instants_and_dates_are_written_as_iso_strings_not_numbers() {
        JsonNode json = tree(SampleMessages.of(CreditReservedEvent.class));

        assertThat(json.path("occurred_at").isString()).as("occurred_at is a string: %s", json.path("occurred_at"))
                .isTrue();
        assertThat(json.path("occurred_at").asString()).isEqualTo("2026-11-23T10:15:30Z");
        assertThat(json.path("expires_at").asString()).isEqualTo("2026-11-23T10:20:30Z");
        assertThat(json.path("budgets").get(0).path("window_start").isString()).isTrue();
        assertThat(json.path("budgets").get(0).path("window_start").asString()).isEqualTo("2026-11-01");
    }

    @Test
    void sub_second_instants_keep_their_precision() {
        Instant precise = Instant.parse("2026-11-23T10:15:30.123456789Z");
        var event = new ReservationExpiredEvent("org-acme", "cmd-0010", precise, "res-0001", 1_200L, precise);

        byte[] json = TallyJson.write(event);

        assertThat(TallyJson.mapper().readTree(json).path("occurred_at").asString())
                .isEqualTo("2026-11-23T10:15:30.123456789Z");
        assertThat(TallyJson.read(json, ReservationExpiredEvent.class)).isEqualTo(event);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tally.events.SampleMessages#types")
    void property_names_are_snake_case(MessageType<?> type) {
        // A word may start with a digit where a record names it explicitly: input_usd_per_1k.
        assertThat(tree(SampleMessages.of(type)).propertyNames())
                .allMatch(name -> name.matches("[a-z][a-z0-9]*(_[a-z0-9]+)*"));
    }

    @Test
    void enums_are_written_by_name_and_an_unknown_constant_is_an_invalid_envelope() {
        ObjectNode json = tree(SampleMessages.of(CreditReservedEvent.class));
        assertThat(json.path("priority").asString()).isEqualTo("NORMAL");
        json.put("priority", "URGENT");

        assertThatThrownBy(() -> TallyJson.read(TallyJson.mapper().writeValueAsBytes(json), CreditReservedEvent.class))
                .isInstanceOf(InvalidEnvelopeException.class)
                .hasMessageContaining("URGENT");
    }

    @Test
    void a_missing_numeric_field_is_an_invalid_envelope_not_a_zero() {
        String json = "{\"command_id\":\"cmd-0001\",\"ledger_id\":\"org-acme\",\"org_account_id\":\"acct-org-acme\"}";

        assertThatThrownBy(() -> TallyJson.read(bytes(json), OpenLedgerCommand.class))
                .isInstanceOf(InvalidEnvelopeException.class)
                .hasMessageStartingWith("cannot read OpenLedgerCommand: ");
    }

    @Test
    void a_usage_recorded_before_overdrafts_reads_with_its_uncollected_credits_and_no_overdraft() {
        String json = "{\"ledger_id\":\"org-acme\",\"command_id\":\"cmd-0008\",\"occurred_at\":\"2026-11-23T10:15:30Z\","
                + "\"reservation_id\":\"res-0001\",\"reserved_credits\":1000,\"actual_credits\":1200,"
                + "\"charged_credits\":1000,\"uncollected_credits\":200,\"released_credits\":0,"
                + "\"charges\":[{\"account_id\":\"acct-mbr-jdoe\",\"credits\":1000}],\"scope_chain\":[],"
                + "\"tokens_in\":1830,\"tokens_out\":412,\"model\":\"gpt-4o-mini\",\"provider\":\"openai\"}";

        UsageRecordedEvent read = TallyJson.read(bytes(json), UsageRecordedEvent.class);

        assertThat(read).isEqualTo(new UsageRecordedEvent("org-acme", "cmd-0008",
                Instant.parse("2026-11-23T10:15:30Z"), "res-0001", 1000, 1200, 1000, 200, 0,
                List.of(new Leg("acct-mbr-jdoe", 1000)), List.of(), 1830, 412, "gpt-4o-mini", "openai"));
        assertThat(read.overdraftCredits()).isZero();
        assertThat(read.overdraftAccountId()).isNull();
        assertThat(read.heldPartCredits()).isEqualTo(1000);
    }

    @Test
    void a_lease_charge_recorded_before_overdrafts_reads_with_no_overdraft() {
        ObjectNode json = tree(SampleMessages.of(LeaseChargedEvent.class));
        json.remove("overdraft_credits");
        json.remove("overdraft_account_id");

        LeaseChargedEvent read = TallyJson.read(TallyJson.mapper().writeValueAsBytes(json), LeaseChargedEvent.class);

        assertThat(read.overdraftCredits()).isZero();
        assertThat(read.overdraftAccountId()).isNull();
        assertThat(read.heldPartCredits()).isEqualTo(read.chargedCredits());
    }

    @Test
    void a_settlement_written_before_renewals_reads_as_renewing_nothing() {
        ObjectNode json = tree(SampleMessages.of(SettleLeasesCommand.class));
        json.withArray("leases").forEach(lease -> ((ObjectNode) lease).remove("renew_ttl_seconds"));

        SettleLeasesCommand read = TallyJson.read(TallyJson.mapper().writeValueAsBytes(json), SettleLeasesCommand.class);

        assertThat(read.leases()).extracting(LeaseSettlement::renewTtlSeconds).containsOnly(0L);
        assertThat(read.leases()).noneMatch(LeaseSettlement::renews);
    }

    @Test
    void a_policy_written_before_critical_priority_was_a_privilege_reads_as_granting_nothing() {
        ObjectNode json = tree(SampleMessages.of(PolicyState.class));
        json.remove("allow_critical_priority");

        PolicyState read = TallyJson.read(TallyJson.mapper().writeValueAsBytes(json), PolicyState.class);

        assertThat(read.allowCriticalPriority()).isNull();
        assertThat(read.allowedModels()).isEqualTo(SampleMessages.of(PolicyState.class).allowedModels());
    }

    @Test
    void keys_written_before_keys_could_expire_read_as_never_expiring() {
        ObjectNode apiKey = tree(SampleMessages.of(ApiKeyState.class));
        apiKey.remove("expires_at");
        ObjectNode adminKey = tree(SampleMessages.of(AdminKeyState.class));
        adminKey.remove("expires_at");
        Instant farFuture = Instant.parse("2999-01-01T00:00:00Z");

        ApiKeyState readApiKey = TallyJson.read(TallyJson.mapper().writeValueAsBytes(apiKey), ApiKeyState.class);
        AdminKeyState readAdminKey = TallyJson.read(TallyJson.mapper().writeValueAsBytes(adminKey),
                AdminKeyState.class);

        assertThat(readApiKey.expiresAt()).isNull();
        assertThat(readApiKey.usableAt(farFuture)).isTrue();
        assertThat(readAdminKey.expiresAt()).isNull();
        assertThat(readAdminKey.usableAt(farFuture)).isTrue();
    }

    @Test
    void a_key_is_usable_until_its_expiry_and_never_when_revoked() {
        ApiKeyState key = SampleMessages.of(ApiKeyState.class);
        AdminKeyState admin = SampleMessages.of(AdminKeyState.class);

        assertThat(key.usableAt(key.expiresAt().minusMillis(1))).isTrue();
        assertThat(key.usableAt(key.expiresAt())).isFalse();
        assertThat(admin.usableAt(admin.expiresAt().minusMillis(1))).isTrue();
        assertThat(admin.usableAt(admin.expiresAt().plusSeconds(1))).isFalse();
        assertThat(new AdminKeyState(admin.keyHash(), admin.id(), admin.orgId(), admin.role(), KeyStatus.REVOKED,
                admin.updatedAt(), null).usableAt(admin.updatedAt())).isFalse();
    }

    @Test
    void nulls_are_written_explicitly() {
        var command = new OpenLedgerCommand("cmd-0001", "org-acme", "acct-org-acme", 0L, null);

        JsonNode json = TallyJson.mapper().readTree(TallyJson.write(command));

        assertThat(json.has("actor")).isTrue();
        assertThat(json.path("actor").isNull()).isTrue();
        assertThat(TallyJson.read(TallyJson.write(command), OpenLedgerCommand.class)).isEqualTo(command);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.00015", "0.000150", "2.5", "1E-7", "12345678901234567890.123456789012345678901"})
    void decimals_are_written_as_json_numbers_and_read_back_exactly_with_their_scale(String usd) {
        var price = new PriceState("openai", "gpt-4o-mini", new BigDecimal(usd), new BigDecimal(usd), Instant.EPOCH);

        byte[] json = TallyJson.write(price);

        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"input_usd_per_1k\":" + usd + ",");
        // equals, not compareTo: 0.000150 must not come back as 0.00015 or 1.5E-4.
        assertThat(TallyJson.read(json, PriceState.class)).isEqualTo(price);
    }

    @Test
    void a_price_written_without_cache_and_reasoning_rates_reads_them_as_null() {
        String old = """
                {"provider":"openai","model":"gpt-4o","input_usd_per_1k":0.0025,"output_usd_per_1k":0.01,
                 "updated_at":"2026-01-01T00:00:00Z"}""";

        PriceState price = TallyJson.read(old.getBytes(StandardCharsets.UTF_8), PriceState.class);

        assertThat(price).isEqualTo(new PriceState("openai", "gpt-4o", new BigDecimal("0.0025"),
                new BigDecimal("0.01"), Instant.parse("2026-01-01T00:00:00Z")));
        assertThat(price.cachedInputUsdPer1k()).isNull();
        assertThat(price.cacheWriteUsdPer1k()).isNull();
        assertThat(price.reasoningUsdPer1k()).isNull();
    }

    @Test
    void a_request_record_written_before_endpoints_were_recorded_reads_with_no_endpoint() {
        GatewayRequestRecord sample = SampleMessages.of(GatewayRequestRecord.class);
        ObjectNode old = (ObjectNode) TallyJson.mapper().readTree(TallyJson.write(sample));
        old.remove("endpoint");

        GatewayRequestRecord record = TallyJson.read(TallyJson.mapper().writeValueAsBytes(old),
                GatewayRequestRecord.class);

        assertThat(record.endpoint()).isNull();
        assertThat(record).isEqualTo(new GatewayRequestRecord(sample.requestId(), sample.orgId(), sample.memberId(),
                sample.memberKind(), sample.keyId(), sample.projectId(), sample.requestedModel(), sample.model(),
                sample.provider(), sample.stream(), sample.privacyStrict(), sample.priority(), sample.outcome(),
                sample.httpStatus(), sample.errorCode(), sample.budgetId(), sample.promptTokens(),
                sample.completionTokens(), sample.reservedCredits(), sample.chargedCredits(), sample.latencyMs(),
                sample.providerLatencyMs(), sample.occurredAt()));
    }

    @Test
    void local_times_are_written_with_seconds_and_days_by_name() {
        PolicyState sample = SampleMessages.of(PolicyState.class);
        var window = new TimeWindow(List.of(DayOfWeek.SUNDAY), LocalTime.of(7, 30),
                LocalTime.of(23, 59, 59, 500_000_000), "America/New_York");
        var policy = new PolicyState(sample.id(), sample.orgId(), sample.target(), sample.name(), null, null, null,
                null, null, List.of(window), null, null, sample.updatedAt());

        byte[] json = TallyJson.write(policy);

        JsonNode written = TallyJson.mapper().readTree(json).path("time_windows").get(0);
        assertThat(written.path("days").get(0).asString()).isEqualTo("SUNDAY");
        assertThat(written.path("start").asString()).isEqualTo("07:30:00");
        assertThat(written.path("end").asString()).isEqualTo("23:59:59.5");
        assertThat(written.path("time_zone").asString()).isEqualTo("America/New_York");
        assertThat(TallyJson.read(json, PolicyState.class)).isEqualTo(policy);
    }

    private static ObjectNode tree(Object message) {
        return (ObjectNode) TallyJson.mapper().readTree(TallyJson.write(message));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void the_json_literal_null_is_an_invalid_envelope_not_a_null_message() {
        assertThatThrownBy(() -> TallyJson.read("null".getBytes(StandardCharsets.UTF_8), OpenLedgerCommand.class))
                .isInstanceOf(InvalidEnvelopeException.class).hasMessageContaining("null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "\"12\""})
    void credits_are_never_coerced_from_fractions_or_strings(String overdraft) {
        String json = "{\"command_id\":\"c\",\"ledger_id\":\"l\",\"org_account_id\":\"org\","
                + "\"critical_overdraft_limit\":" + overdraft + ",\"actor\":\"a\"}";
        assertThatThrownBy(() -> TallyJson.read(json.getBytes(StandardCharsets.UTF_8), OpenLedgerCommand.class))
                .isInstanceOf(InvalidEnvelopeException.class);
    }
}
