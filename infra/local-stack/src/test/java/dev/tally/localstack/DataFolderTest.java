package dev.tally.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFolderTest {

    @TempDir
    Path directory;

    @Test
    void a_second_launcher_on_the_same_folder_is_refused() {
        Path data = directory.resolve(".tally");
        try (DataFolder first = DataFolder.lock(data)) {
            assertThatThrownBy(() -> DataFolder.lock(data)).isInstanceOf(StackException.class)
                    .hasMessageStartingWith("another local stack is running with the data folder " + data);
            assertThatThrownBy(() -> DataFolder.wipe(data)).isInstanceOf(StackException.class);
        }
        DataFolder.lock(data).close();
    }

    @Test
    void the_folder_is_the_users_alone_even_one_created_before_this_rule() throws Exception {
        Path fresh = directory.resolve("fresh/.tally");
        Path older = directory.resolve(".tally-older");
        Files.createDirectories(older);
        Files.setPosixFilePermissions(older, PosixFilePermissions.fromString("rwxr-xr-x"));

        DataFolder.lock(fresh).close();
        DataFolder.lock(older).close();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(older))).isEqualTo("rwx------");
    }

    @Test
    void wipe_deletes_the_folder_with_everything_in_it() throws Exception {
        Path data = directory.resolve(".tally");
        Files.createDirectories(data.resolve("postgres/base"));
        Files.writeString(data.resolve("postgres/base/1"), "x");
        Files.writeString(data.resolve("secrets.properties"), "x");

        DataFolder.wipe(data);

        assertThat(data).doesNotExist();
    }

    @Test
    void wiping_while_holding_the_lock_keeps_the_folder_the_lock_and_the_pid() throws Exception {
        Path data = directory.resolve(".tally");
        try (DataFolder folder = DataFolder.lock(data)) {
            Files.createDirectories(data.resolve("logs"));
            Files.writeString(data.resolve("logs/kafka.log"), "x");

            folder.wipeContents();

            try (var left = Files.list(data)) {
                assertThat(left.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("launcher.lock",
                        DataFolder.PID_FILE);
            }
            assertThatThrownBy(() -> DataFolder.lock(data)).isInstanceOf(StackException.class);
        }
    }
}
