package dev.tally.gateway.provider;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

/**
 * Bedrock Runtime's wire format for WireMock stubs: Converse's JSON answer at {@code POST /model/{id}/converse} and
 * ConverseStream's event-stream body at {@code /model/{id}/converse-stream}, and AWS's JSON errors (the error type
 * in {@code x-amzn-ErrorType}, as the SDK reads it).
 */
public final class FakeBedrock {

    /** The path of a model's Converse call (the SDK percent-encodes the model id's ':'). */
    public static final String CONVERSE = "/model/[^/]+/converse";
    public static final String CONVERSE_STREAM = "/model/[^/]+/converse-stream";

    private FakeBedrock() {
    }

    public static ResponseDefinitionBuilder converse(String text, String stopReason, int inputTokens,
            int outputTokens) {
        return aResponse().withHeader("Content-Type", "application/json").withBody("""
                {"output":{"message":{"role":"assistant","content":[{"text":%s}]}},"stopReason":"%s",
                 "usage":{"inputTokens":%d,"outputTokens":%d,"totalTokens":%d},"metrics":{"latencyMs":42}}"""
                .formatted(quoted(text), stopReason, inputTokens, outputTokens, inputTokens + outputTokens));
    }

    /** messageStart, one contentBlockDelta per piece, contentBlockStop, messageStop and the usage's metadata. */
    public static ResponseDefinitionBuilder converseStream(List<String> pieces, String stopReason, int inputTokens,
            int outputTokens) {
        List<byte[]> frames = new ArrayList<>();
        frames.add(EventStreamFrames.event("messageStart", "{\"role\":\"assistant\"}"));
        for (String piece : pieces) {
            frames.add(EventStreamFrames.event("contentBlockDelta",
                    "{\"contentBlockIndex\":0,\"delta\":{\"text\":" + quoted(piece) + "}}"));
        }
        frames.add(EventStreamFrames.event("contentBlockStop", "{\"contentBlockIndex\":0}"));
        frames.add(EventStreamFrames.event("messageStop", "{\"stopReason\":\"" + stopReason + "\"}"));
        frames.add(EventStreamFrames.event("metadata", "{\"usage\":{\"inputTokens\":%d,\"outputTokens\":%d,"
                .formatted(inputTokens, outputTokens) + "\"totalTokens\":" + (inputTokens + outputTokens)
                + "},\"metrics\":{\"latencyMs\":42}}"));
        return aResponse().withHeader("Content-Type", "application/vnd.amazon.eventstream")
                .withBody(EventStreamFrames.concat(frames.toArray(byte[][]::new)));
    }

    /** An AWS error: e.g. 429 ThrottlingException, 400 ValidationException, 500 InternalServerException. */
    public static ResponseDefinitionBuilder error(int status, String type, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-ErrorType", type).withBody("{\"message\":" + quoted(message) + "}");
    }

    /** The SigV4 Authorization header of a request signed with this access key id. */
    public static String signedWith(String accessKeyId) {
        return "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/[0-9]{8}/[a-z0-9-]+/bedrock/aws4_request, .*";
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
