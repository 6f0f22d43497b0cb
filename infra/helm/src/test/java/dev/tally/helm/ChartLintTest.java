package dev.tally.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChartLintTest {

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void helm_lint_strict_passes(ValueSet values) throws Exception {
        LintResult result = HelmChart.lint(values);

        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
        assertThat(result.getMessages()).as("lint messages").noneMatch(message -> message.contains("[WARNING]")
                || message.contains("[ERROR]"));
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void helm_template_renders_every_service(ValueSet values) {
        Rendered rendered = HelmChart.render(values);

        for (String service : HelmChart.services()) {
            assertThat(rendered.container(service).getImage()).as(service).contains(service + "-service:");
        }
    }
}
