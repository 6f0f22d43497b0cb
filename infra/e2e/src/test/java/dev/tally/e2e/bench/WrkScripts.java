package dev.tally.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The wrk Lua scripts of the scenarios, written next to the report so that a run can be repeated by hand. */
final class WrkScripts {

    private WrkScripts() {
    }

    /**
     * Every request the same, one key: wrk builds the request once and sends it on every connection, no Lua per
     * request. {@code headers} are sent as they are (Portkey's routing headers, say).
     */
    static Path sameRequest(Path folder, String name, Map<String, String> headers) throws IOException {
        StringBuilder lua = new StringBuilder("-- ").append(name).append(": the same request on every connection\n")
                .append("wrk.method = \"POST\"\n")
                .append("wrk.body = ").append(longString(ChatRequest.BODY)).append('\n')
                .append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
        headers.forEach((header, value) -> lua.append("wrk.headers[").append(quoted(header)).append("] = ")
                .append(quoted(value)).append('\n'));
        return write(folder, name, lua.toString());
    }

    /**
     * Each request with the next key of {@code keys} (one per line in a file beside the script), every wrk thread
     * starting at another place in the list, so that at any moment the connections carry different keys. The
     * requests are formatted once in {@code init}; {@code request()} only picks the next one.
     */
    static Path rotatingKeys(Path folder, String name, List<String> keys) throws IOException {
        Path keyFile = Files.createDirectories(folder).resolve(name + "-keys.txt");
        Files.write(keyFile, keys);
        String lua = """
                -- %s: every request with the next of the keys in %s
                local body = %s
                local requests = {}
                local position = 0
                local started = 0

                function setup(thread)
                  thread:set("thread_number", started)
                  started = started + 1
                end

                function init(args)
                  for key in io.lines(%s) do
                    requests[#requests + 1] = wrk.format("POST", nil,
                      {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}, body)
                  end
                  position = (thread_number * 997) %% #requests
                end

                function request()
                  position = position %% #requests + 1
                  return requests[position]
                end
                """.formatted(name, keyFile.getFileName(), longString(ChatRequest.BODY),
                quoted(keyFile.toAbsolutePath().toString()));
        return write(folder, name, lua);
    }

    private static Path write(Path folder, String name, String lua) throws IOException {
        Path script = Files.createDirectories(folder).resolve(name + ".lua");
        Files.writeString(script, lua);
        return script;
    }

    /** A Lua long string: no escapes needed for JSON (which never holds "]==]"). */
    private static String longString(String text) {
        return "[==[" + text + "]==]";
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
