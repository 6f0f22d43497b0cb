package dev.tally.governance.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.springframework.http.HttpStatus;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckTest {

    @Test
    void an_amount_of_ten_to_the_fifteen_credits_is_accepted() {
        assertThat(Check.positive(1_000_000_000_000_000L, "amount")).isEqualTo(1_000_000_000_000_000L);
        assertThat(Check.notNegative(1_000_000_000_000_000L, "personal_quota", 0)).isEqualTo(1_000_000_000_000_000L);
    }

    @Test
    void an_amount_beyond_ten_to_the_fifteen_credits_is_refused_naming_the_field() {
        assertRefused(() -> Check.positive(1_000_000_000_000_001L, "limit_credits"), "invalid_field", "limit_credits");
        assertRefused(() -> Check.positive(Long.MAX_VALUE, "amount"), "invalid_field", "amount");
        assertRefused(() -> Check.notNegative(Long.MAX_VALUE, "critical_overdraft_limit", 0), "invalid_field",
                "critical_overdraft_limit");
    }

    @Test
    void credits_per_usd_is_at_most_a_million() {
        assertThat(Check.creditsPerUsd(1_000_000L, "credits_per_usd")).isEqualTo(1_000_000L);
        assertRefused(() -> Check.creditsPerUsd(1_000_001L, "credits_per_usd"), "invalid_field", "credits_per_usd");
        assertRefused(() -> Check.creditsPerUsd(0L, "credits_per_usd"), "invalid_field", "credits_per_usd");
    }

    @Test
    void a_name_is_returned_without_surrounding_whitespace() {
        assertThat(Check.name("  Acme Corp ", "name")).isEqualTo("Acme Corp");
    }

    @Test
    void a_null_name_is_missing_and_names_the_field() {
        assertRefused(() -> Check.name(null, "display_name"), "missing_field", "display_name");
    }

    @Test
    void a_blank_name_is_refused_naming_the_field() {
        assertRefused(() -> Check.name(" \t ", "display_name"), "invalid_field", "display_name");
    }

    @Test
    void a_name_of_120_characters_is_accepted() {
        assertThat(Check.name("a".repeat(120), "name")).hasSize(120);
    }

    @Test
    void a_name_of_121_characters_is_refused_naming_the_field() {
        assertRefused(() -> Check.name("a".repeat(121), "display_name"), "invalid_field", "display_name");
    }

    @Test
    void the_length_limit_applies_after_trimming() {
        assertThat(Check.name(" " + "a".repeat(120) + " ", "name")).hasSize(120);
    }

    @Test
    void an_email_is_lower_cased_and_trimmed() {
        assertThat(Check.email(" Ada.Lovelace@Example.COM ", "email")).isEqualTo("ada.lovelace@example.com");
    }

    @Test
    void an_email_without_at_is_refused_naming_the_field() {
        assertRefused(() -> Check.email("ada.example.com", "email"), "invalid_field", "email");
    }

    @Test
    void an_email_without_a_dot_in_the_domain_is_refused_naming_the_field() {
        assertRefused(() -> Check.email("ada@localhost", "email"), "invalid_field", "email");
    }

    @Test
    void an_email_with_two_ats_is_refused_naming_the_field() {
        assertRefused(() -> Check.email("ada@lovelace@example.com", "email"), "invalid_field", "email");
    }

    @Test
    void an_email_with_inner_whitespace_is_refused_naming_the_field() {
        assertRefused(() -> Check.email("ada lovelace@example.com", "email"), "invalid_field", "email");
    }

    @Test
    void a_null_email_is_missing_and_names_the_field() {
        assertRefused(() -> Check.email(null, "email"), "missing_field", "email");
    }

    @Test
    void a_positive_amount_is_returned() {
        assertThat(Check.positive(1L, "amount")).isEqualTo(1L);
    }

    @Test
    void a_zero_amount_is_refused_where_positive_is_required() {
        assertRefused(() -> Check.positive(0L, "amount"), "invalid_field", "amount");
    }

    @Test
    void a_null_amount_is_missing_where_positive_is_required() {
        assertRefused(() -> Check.positive(null, "amount"), "missing_field", "amount");
    }

    @Test
    void zero_is_not_negative() {
        assertThat(Check.notNegative(0L, "limit", 7)).isZero();
    }

    @Test
    void a_negative_value_is_refused_naming_the_field() {
        assertRefused(() -> Check.notNegative(-1L, "limit", 7), "invalid_field", "limit");
    }

    @Test
    void a_missing_non_negative_value_takes_the_default() {
        assertThat(Check.notNegative(null, "limit", 7)).isEqualTo(7);
    }

    @Test
    void names_are_trimmed_and_de_duplicated() {
        assertThat(Check.names(List.of("a ", " a", "b"), "models")).containsExactly("a", "b");
    }

    @Test
    void a_null_entry_in_names_is_missing_and_names_its_index() {
        assertRefused(() -> Check.names(Arrays.asList("a", null), "models"), "missing_field", "models[1]");
    }

    @Test
    void an_id_longer_than_any_id_is_refused_naming_the_field_and_a_missing_one_stays_missing() {
        assertThat(Check.optionalId(null, "org_id")).isNull();
        assertThat(Check.optionalId("01a25109-d355-7ad5-89b9-ce0672ebe5c9", "org_id"))
                .isEqualTo("01a25109-d355-7ad5-89b9-ce0672ebe5c9");
        assertRefused(() -> Check.optionalId("x".repeat(100 * 1024), "org_id"), "invalid_field", "org_id");
    }

    private static void assertRefused(Executable call, String code, String field) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.field()).isEqualTo(field);
        });
    }
}
