package dev.tally.analytics.web;

import dev.tally.servicekit.web.ApiException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WindowAndPagingTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    @Test
    void days_count_back_from_now() {
        assertThat(Window.of(null, null, 7, 30, NOW))
                .isEqualTo(new Window(Instant.parse("2026-11-14T12:00:00Z"), NOW));
        assertThat(Window.of(null, null, null, 30, NOW).from()).isEqualTo(Instant.parse("2026-10-22T12:00:00Z"));
    }

    @Test
    void from_and_to_accept_instants_and_dates() {
        Window w = Window.of("2026-11-01", "2026-11-02T06:00:00Z", null, 30, NOW);
        assertThat(w.from()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(w.to()).isEqualTo(Instant.parse("2026-11-02T06:00:00Z"));
    }

    @Test
    void bad_windows_name_the_field() {
        assertThatThrownBy(() -> Window.of("yesterday", null, null, 30, NOW))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("from"));
        assertThatThrownBy(() -> Window.of(null, null, 0, 30, NOW))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("days"));
        assertThatThrownBy(() -> Window.of("2026-11-22", null, null, 30, NOW))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("from"));
    }

    @Test
    void paging_is_bounded() {
        assertThat(Paging.of(null, null, 50)).isEqualTo(new Paging(50, 0));
        assertThatThrownBy(() -> Paging.of(501, 0, 50))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("limit"));
        assertThatThrownBy(() -> Paging.of(10, -1, 50))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("offset"));
    }
}
