package dev.tally.gateway.pricing;

/**
 * The most input tokens an {@code input_audio} part can be billed, from its size alone. OpenAI bills input audio by
 * duration: one token per 100 ms of user audio (10 a second; its output audio is one per 50 ms). The duration is at most
 * the byte length over the lowest bitrate a chat audio format can have: {@code wav} and {@code mp3} are accepted, and
 * MP3 goes no lower than 8 kbit/s (MPEG-2.5), below any PCM WAV (8 kHz × 8 bit is 64 kbit/s). So
 * {@code bytes / 1000} seconds at 20 tokens a second (twice the input rate: the output rate, in case a model bills
 * audio at it) bounds it, with {@link #FRAMING} for the part itself.
 */
public final class AudioTokens {

    static final int BYTES_PER_SECOND = 1000;
    static final int TOKENS_PER_SECOND = 20;
    static final int FRAMING = 16;

    private AudioTokens() {
    }

    /** @param base64 the part's {@code data} */
    public static long bound(String base64) {
        long bytes = decodedLength(base64);
        return FRAMING + ceilDiv(bytes * TOKENS_PER_SECOND, BYTES_PER_SECOND);
    }

    /** Bytes the base64 text decodes to (at most: whitespace, if any, is counted as data). */
    static long decodedLength(String base64) {
        int end = base64.length();
        while (end > 0 && base64.charAt(end - 1) == '=') {
            end--;
        }
        return 3L * end / 4;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
