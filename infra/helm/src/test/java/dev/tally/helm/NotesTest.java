package dev.tally.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** NOTES.txt, what helm install prints: where the admin key is, and how to reach the services. */
class NotesTest {

    @Test
    void the_notes_say_which_secret_and_key_hold_the_admin_key() {
        String notes = HelmChart.notes(ValueSet.DEFAULT);

        assertThat(notes).contains("Secret \"acme-tally-keys\", key \"admin-key\"")
                .contains("kubectl -n tally get secret acme-tally-keys")
                .contains("port-forward svc/acme-tally-governance 8082:8082")
                .contains("Job \"acme-tally-topics\"");
    }

    @Test
    void with_an_existing_secret_and_an_ingress_the_notes_name_those() {
        String notes = HelmChart.notes(ValueSet.PRODUCTION);

        assertThat(notes).contains("Secret \"tally-keys\", key \"admin-key\"")
                .contains("gateway: https://api.tally.example.com/")
                .doesNotContain("The chart generated it");
    }
}
