package dev.tally.gateway.pricing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class ImageSizeTest {

    @ParameterizedTest
    @CsvSource({"png, 1, 1", "png, 1027, 33", "jpeg, 640, 480", "jpeg, 17, 2100", "gif, 300, 7", "bmp, 9, 9"})
    void the_size_is_read_from_the_header_of_a_data_url(String format, int width, int height) {
        String url = TestImages.dataUrl(format, width, height);

        if (format.equals("bmp")) {
            assertThat(ImageSize.ofDataUrl(url)).as("an unknown format is no size").isEmpty();
        } else {
            assertThat(ImageSize.ofDataUrl(url)).contains(new ImageSize(width, height));
        }
    }

    @Test
    void a_webp_header_gives_its_size() {
        String url = "data:image/webp;base64," + Base64.getEncoder().encodeToString(TestImages.webpHeader(4000, 3));

        assertThat(ImageSize.ofDataUrl(url)).contains(new ImageSize(4000, 3));
    }

    @Test
    void remote_urls_and_broken_data_have_no_size() {
        assertThat(ImageSize.ofDataUrl("https://example.test/cat.png")).isEmpty();
        assertThat(ImageSize.ofDataUrl("data:image/png;base64,!!!not base64")).isEmpty();
        assertThat(ImageSize.ofDataUrl("data:image/png;base64,iVBORw0K")).isEmpty();
    }
}
