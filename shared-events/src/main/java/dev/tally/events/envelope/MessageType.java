package dev.tally.events.envelope;

/**
 * The wire identity of a message, independent of its Java class: renaming a class changes nothing on the wire.
 * The CloudEvents type is {@code tally.<domain>.<name>.v<version>}.
 */
public record MessageType<T>(String domain, String name, int version, Class<T> javaType) {

    public String ceType() {
        return "tally." + domain + "." + name + ".v" + version;
    }
}
