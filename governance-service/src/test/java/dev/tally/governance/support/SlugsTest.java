package dev.tally.governance.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SlugsTest {

    @Test
    void words_are_lower_cased_and_joined_by_hyphens() {
        assertThat(Slugs.of("Acme Corp")).isEqualTo("acme-corp");
    }

    @Test
    void accents_are_stripped() {
        assertThat(Slugs.of("Café Zürich Ångström")).isEqualTo("cafe-zurich-angstrom");
    }

    @Test
    void runs_of_punctuation_and_spaces_collapse_to_one_hyphen() {
        assertThat(Slugs.of("Acme,  Inc. & Co")).isEqualTo("acme-inc-co");
    }

    @Test
    void leading_and_trailing_punctuation_is_dropped() {
        assertThat(Slugs.of("  --Acme!! ")).isEqualTo("acme");
    }

    @Test
    void digits_are_kept() {
        assertThat(Slugs.of("Team 42")).isEqualTo("team-42");
    }

    @Test
    void an_empty_name_becomes_org() {
        assertThat(Slugs.of("")).isEqualTo("org");
    }

    @Test
    void a_name_without_latin_letters_or_digits_becomes_org() {
        assertThat(Slugs.of("東京 !!")).isEqualTo("org");
    }
}
