package dev.tally.e2e.bench;

import dev.tally.gateway.bench.FakeOpenAi;

/**
 * The one request every scenario sends: a {@code gpt-4o-mini} chat completion with a system line and a customer's
 * question of about 500 characters, {@code max_tokens} 32, not streamed; and the usage the fake upstream answers it
 * with.
 */
final class ChatRequest {

    static final String MODEL = "gpt-4o-mini";
    static final int MAX_TOKENS = 32;

    static final String BODY = "{\"model\":\"" + MODEL + "\",\"max_tokens\":" + MAX_TOKENS + ",\"messages\":["
            + "{\"role\":\"system\",\"content\":\"You are a concise assistant for a customer support team.\"},"
            + "{\"role\":\"user\",\"content\":\"A customer writes: I ordered a pair of hiking boots three weeks ago "
            + "and the tracking page still says the parcel is waiting at the regional depot. I have emailed twice "
            + "without an answer. I need the boots for a trip that starts next Friday. Can you tell me what is going "
            + "on, whether the parcel can still arrive in time, and what my options are if it cannot, including a "
            + "refund or an express replacement? Please answer in two short sentences, politely, and do not promise "
            + "anything you cannot check.\"}]}";

    /**
     * What OpenAI would bill for it: 122 prompt tokens (o200k_base counts 11 + 102 for the two messages, plus 3 of
     * framing per message and 3 for the reply, as the gateway's tokenizer does), and the 32 output tokens the fake
     * always writes. Equal to the gateway's estimate, so the charge is the reservation carved for the request.
     */
    static final FakeOpenAi.Usage USAGE = new FakeOpenAi.Usage(122, MAX_TOKENS);

    private ChatRequest() {
    }
}
