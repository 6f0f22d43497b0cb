package dev.tally.analytics.export;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CsvTest {

    @Test
    void writes_a_header_and_rows_with_crlf_line_ends() {
        String csv = Csv.document(List.of("team", "credits"), List.of(List.of("Platform", 1200L), List.of("Data", 3L)));
        assertThat(csv).isEqualTo("team,credits\r\nPlatform,1200\r\nData,3\r\n");
    }

    @Test
    void quotes_commas_quotes_and_line_breaks() {
        assertThat(Csv.cell("Research, EU")).isEqualTo("\"Research, EU\"");
        assertThat(Csv.cell("the \"A\" team")).isEqualTo("\"the \"\"A\"\" team\"");
        assertThat(Csv.cell("two\nlines")).isEqualTo("\"two\nlines\"");
    }

    @Test
    void cells_a_spreadsheet_would_run_as_formulas_are_defused() {
        assertThat(Csv.cell("=HYPERLINK(\"http://evil\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\")\"");
        assertThat(Csv.cell("+1")).isEqualTo("'+1");
        assertThat(Csv.cell("-1")).isEqualTo("'-1");
        assertThat(Csv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    }

    @Test
    void numbers_stay_numbers_even_when_negative() {
        assertThat(Csv.cell(-5L)).isEqualTo("-5");
        assertThat(Csv.cell(0)).isEqualTo("0");
    }

    @Test
    void nulls_are_empty_cells() {
        assertThat(Csv.document(List.of("a", "b"), List.of(Arrays.asList(null, "x")))).isEqualTo("a,b\r\n,x\r\n");
    }
}
