package dev.tally.gateway.provider;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provider that bills what it generates, written without the gateway's estimator: it renders the prompt the way
 * OpenAI does (per-message framing, tool definitions as a TypeScript namespace in the system message, a JSON schema
 * as a response-format section, tool calls as messages to the function, parts joined by newlines) and counts it with
 * the model's real tokenizer; images by the model's formula from the image's real size (decoded with ImageIO, or known
 * for a remote URL); audio by its real duration; and it generates every choice to its limit as the upstream reads it.
 * Claude's tokenizer is not public: its text is the cl100k count times the largest ratio measured for it.
 */
final class HonestProvider {

    /** Remote images the provider "downloads": their size is in the URL. */
    static final Pattern REMOTE = Pattern.compile("https://img\\.test/(\\d+)x(\\d+)\\.png");
    /** Claude 3–4.6 counts up to ~1.3× OpenAI's tokens (Python source); Opus 4.7 up to 1.47× more than 4.6. */
    static final double CLAUDE_RATIO = 1.3;
    static final double CLAUDE_4_7_RATIO = 1.3 * 1.47;

    private static final EncodingRegistry REGISTRY = Encodings.newDefaultEncodingRegistry();
    private static final Encoding O200K = REGISTRY.getEncoding(EncodingType.O200K_BASE);
    private static final Encoding CL100K = REGISTRY.getEncoding(EncodingType.CL100K_BASE);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Usage(long promptTokens, long completionTokens) {
    }

    /** @param body the body as the gateway forwards it; for Anthropic, {@code anthropicMax} is its max_tokens */
    static Usage bill(String model, JsonNode body, Integer anthropicMax) {
        boolean claude = model.startsWith("claude");
        Encoding encoding = claude || model.startsWith("gpt-4-") || model.startsWith("gpt-3.5") ? CL100K : O200K;
        long text = 3;
        long media = 0;
        String system = systemText(body);
        boolean systemUsed = system.isEmpty();
        for (JsonNode message : body.path("messages")) {
            String role = message.path("role").asString("");
            StringBuilder content = new StringBuilder();
            if (!systemUsed && (role.equals("system") || role.equals("developer"))) {
                content.append(system).append("\n\n");
                systemUsed = true;
            }
            text += 3 + count(encoding, role);
            if (message.hasNonNull("name")) {
                text += 1 + count(encoding, message.path("name").asString());
            }
            JsonNode c = message.path("content");
            if (c.isString()) {
                content.append(c.asString());
            } else if (c.isArray()) {
                boolean first = true;
                for (JsonNode part : c) {
                    String type = part.path("type").asString("");
                    if (type.equals("image_url")) {
                        media += imageTokens(model, part.path("image_url"));
                        continue;
                    }
                    if (type.equals("input_audio")) {
                        media += audioTokens(part.path("input_audio").path("data").asString());
                        continue;
                    }
                    content.append(first ? "" : "\n").append(switch (type) {
                        case "text" -> part.path("text").asString();
                        case "refusal" -> part.path("refusal").asString();
                        default -> part.toString();
                    });
                    first = false;
                }
            }
            if (message.path("refusal").isString()) {
                content.append(message.path("refusal").asString());
            }
            if (message.hasNonNull("tool_call_id")) {
                content.insert(0, "result of " + message.path("tool_call_id").asString() + ":\n");
            }
            text += count(encoding, content.toString());
            for (JsonNode call : message.path("tool_calls")) {
                text += functionCall(encoding, call.path("function"));
            }
            if (message.path("function_call").isObject()) {
                text += functionCall(encoding, message.path("function_call"));
            }
        }
        if (!systemUsed) {
            text += 3 + count(encoding, "system") + count(encoding, system);
        }
        long prompt = claude ? (long) Math.ceil(text * (model.startsWith("claude-opus-4-7") ? CLAUDE_4_7_RATIO
                : CLAUDE_RATIO)) : text;
        prompt += media;

        long perChoice;
        if (anthropicMax != null) {
            perChoice = anthropicMax;
        } else {
            boolean reasoning = model.startsWith("o") || model.startsWith("gpt-5");
            JsonNode limit = reasoning && body.has("max_completion_tokens") ? body.get("max_completion_tokens")
                    : body.has("max_tokens") ? body.get("max_tokens") : body.get("max_completion_tokens");
            // No limit the upstream reads: it generates to the end of its context.
            perChoice = limit == null ? 1_000_000 : limit.asLong();
        }
        long choices = Math.max(body.path("n").asLong(1), body.path("best_of").asLong(1));
        long rejectedPrediction = count(encoding, body.path("prediction").path("content").asString(""));
        if (claude) {
            rejectedPrediction = 0;
        }
        return new Usage(prompt, perChoice * choices + rejectedPrediction);
    }

    /**
     * Anthropic's tool-use system prompt as its pricing page lists it for current models (tool_choice auto or none),
     * in Claude's own tokens.
     */
    static final long TOOL_SYSTEM_PROMPT = 346;

    /**
     * A Messages API body as the gateway forwards it, billed as Anthropic renders it: the system prompt, each message's
     * role and blocks joined by newlines (text; a tool call as its name and input; a tool result as its id and
     * content; a text document's data; any other block's JSON), the tools' names, descriptions and input schemas after
     * Anthropic's tool-use prompt; text in Claude's tokens (cl100k times the measured ratio), images by Anthropic's
     * formula from their real size. Everything is generated to {@code max_tokens}.
     */
    static Usage billMessages(String model, JsonNode body) {
        StringBuilder text = new StringBuilder();
        long media = 0;
        JsonNode system = body.path("system");
        if (system.isString()) {
            text.append("system\n").append(system.asString()).append("\n\n");
        } else if (system.isArray()) {
            text.append("system\n");
            for (JsonNode block : system) {
                text.append(block.path("text").asString("")).append('\n');
            }
        }
        JsonNode tools = body.path("tools");
        if (tools.isArray() && !tools.isEmpty()) {
            media += TOOL_SYSTEM_PROMPT;
            for (JsonNode tool : tools) {
                text.append(tool.path("name").asString("")).append(": ").append(tool.path("description").asString(""))
                        .append('\n').append(tool.path("input_schema")).append('\n');
            }
        }
        for (JsonNode message : body.path("messages")) {
            text.append("\n\n").append(message.path("role").asString()).append(": ");
            JsonNode content = message.path("content");
            if (content.isString()) {
                text.append(content.asString());
                continue;
            }
            for (JsonNode block : content) {
                switch (block.path("type").asString("")) {
                    case "text" -> text.append(block.path("text").asString());
                    case "image" -> {
                        JsonNode source = block.path("source");
                        String url = "base64".equals(source.path("type").asString(""))
                                ? "data:" + source.path("media_type").asString() + ";base64,"
                                        + source.path("data").asString()
                                : source.path("url").asString();
                        media += imageTokens(model, JSON.createObjectNode().put("url", url));
                    }
                    case "tool_use" -> text.append(block.path("name").asString()).append(block.path("input"));
                    case "tool_result" -> {
                        text.append(block.path("tool_use_id").asString()).append(": ");
                        JsonNode result = block.path("content");
                        text.append(result.isString() ? result.asString() : result.toString());
                    }
                    case "document" -> text.append(block.path("source").path("data").asString(""));
                    default -> text.append(block);
                }
                text.append('\n');
            }
        }
        double ratio = model.startsWith("claude-opus-4-7") ? CLAUDE_4_7_RATIO : CLAUDE_RATIO;
        long prompt = (long) Math.ceil(count(CL100K, text.toString()) * ratio) + media;
        return new Usage(prompt, body.path("max_tokens").asLong());
    }

    /**
     * An embeddings body as the gateway forwards it: every input's tokens with the model's own tokenizer (OpenAI's
     * embedding models count with cl100k_base), token ids as they are. Nothing is generated.
     */
    static Usage billEmbeddings(String model, JsonNode body) {
        return new Usage(inputs(encoding(model), body.path("input")).stream().mapToLong(Long::longValue).sum(), 0);
    }

    /**
     * A legacy completions body as the gateway forwards it: every prompt, with the suffix inserted, once; for every
     * prompt, {@code best_of} candidates (at least {@code n}) generated to {@code max_tokens} (16 when left out), each
     * with its prompt in front when {@code echo} is set.
     */
    static Usage billCompletions(String model, JsonNode body) {
        Encoding encoding = encoding(model);
        long suffix = count(encoding, body.path("suffix").asString(""));
        long perChoice = body.path("max_tokens").asLong(16);
        long choices = Math.max(body.path("n").asLong(1), body.path("best_of").asLong(1));
        boolean echo = body.path("echo").asBoolean(false);
        long prompt = 0;
        long completion = 0;
        for (long tokens : inputs(encoding, body.path("prompt"))) {
            prompt += tokens + suffix;
            completion += choices * (perChoice + (echo ? tokens : 0));
        }
        return new Usage(prompt, completion);
    }

    /** The tokens of each input of OpenAI's four shapes: a string, strings, token ids, arrays of token ids. */
    static java.util.List<Long> inputs(Encoding encoding, JsonNode input) {
        java.util.List<Long> tokens = new java.util.ArrayList<>();
        if (input.isString()) {
            tokens.add((long) count(encoding, input.asString()));
        } else if (input.isArray() && !input.isEmpty() && input.get(0).isNumber()) {
            tokens.add((long) input.size());
        } else {
            for (JsonNode element : input) {
                tokens.add(element.isArray() ? element.size() : (long) count(encoding, element.asString()));
            }
        }
        return tokens;
    }

    /** OpenAI's embedding models and its legacy completion models count with cl100k_base. */
    static Encoding encoding(String model) {
        return model.startsWith("text-embedding-") || model.startsWith("gpt-3.5") || model.startsWith("davinci")
                || model.startsWith("babbage") ? CL100K : O200K;
    }

    private static long functionCall(Encoding encoding, JsonNode function) {
        return 3 + count(encoding, "assistant to=functions." + function.path("name").asString() + " json\n"
                + function.path("arguments").asString());
    }

    /** OpenAI's rendering of tools and a JSON schema into the system message. */
    private static String systemText(JsonNode body) {
        StringBuilder s = new StringBuilder();
        JsonNode tools = body.path("tools").isArray() && !body.path("tools").isEmpty() ? body.path("tools")
                : body.path("functions");
        if (tools.isArray() && !tools.isEmpty()) {
            s.append("# Tools\n\n## functions\n\nnamespace functions {\n\n");
            for (JsonNode tool : tools) {
                JsonNode f = tool.has("function") ? tool.path("function") : tool;
                if (f.hasNonNull("description")) {
                    s.append("// ").append(f.path("description").asString()).append('\n');
                }
                s.append("type ").append(f.path("name").asString()).append(" = ");
                JsonNode params = f.path("parameters");
                if (params.path("properties").isObject() && !params.path("properties").isEmpty()) {
                    s.append("(_: ").append(tsType(params, "")).append(") => any;\n\n");
                } else {
                    s.append("() => any;\n\n");
                }
            }
            s.append("} // namespace functions");
        }
        JsonNode format = body.path("response_format");
        if (format.path("type").asString("").equals("json_schema")) {
            JsonNode schema = format.path("json_schema");
            s.append(s.isEmpty() ? "" : "\n\n").append("# Response Formats\n\n## ")
                    .append(schema.path("name").asString("response")).append("\n\n")
                    .append(schema.path("schema").toString());
        } else if (format.path("type").asString("").equals("json_object")) {
            s.append(s.isEmpty() ? "" : "\n\n").append("Respond in JSON.");
        }
        JsonNode choice = body.path("tool_choice");
        if (choice.isObject()) {
            s.append("\n\nYou must call functions.").append(choice.path("function").path("name").asString());
        }
        return s.toString();
    }

    private static String tsType(JsonNode schema, String indent) {
        if (schema.path("enum").isArray()) {
            StringBuilder s = new StringBuilder();
            for (JsonNode value : schema.path("enum")) {
                s.append(s.isEmpty() ? "" : " | ").append(value.toString());
            }
            return s.toString();
        }
        return switch (schema.path("type").asString("any")) {
            case "string" -> "string";
            case "number", "integer" -> "number";
            case "boolean" -> "boolean";
            case "array" -> tsType(schema.path("items"), indent) + "[]";
            case "object" -> {
                StringBuilder s = new StringBuilder("{\n");
                Iterator<Map.Entry<String, JsonNode>> props = schema.path("properties").properties().iterator();
                java.util.Set<String> required = new java.util.HashSet<>();
                schema.path("required").forEach(r -> required.add(r.asString()));
                while (props.hasNext()) {
                    var prop = props.next();
                    if (prop.getValue().hasNonNull("description")) {
                        s.append(indent).append("// ").append(prop.getValue().path("description").asString())
                                .append('\n');
                    }
                    s.append(indent).append(prop.getKey()).append(required.contains(prop.getKey()) ? "" : "?")
                            .append(": ").append(tsType(prop.getValue(), indent + "  ")).append(",\n");
                }
                yield s.append(indent).append("}").toString();
            }
            default -> "any";
        };
    }

    private static long imageTokens(String model, JsonNode image) {
        String url = image.path("url").asString();
        int[] size = size(url);
        String detail = image.path("detail").asString("auto");
        if (model.startsWith("claude")) {
            boolean newer = model.startsWith("claude-opus-4-7");
            double w = size[0];
            double h = size[1];
            double fit = Math.min(1, (newer ? 2576.0 : 1568.0) / Math.max(w, h));
            w *= fit;
            h *= fit;
            double maxArea = newer ? 3_750_000 : 1_150_000;
            if (w * h > maxArea) {
                double f = Math.sqrt(maxArea / (w * h));
                w *= f;
                h *= f;
            }
            return newer ? (long) (Math.ceil(w / 28) * Math.ceil(h / 28)) : (long) Math.ceil(w * h / 750);
        }
        if (model.startsWith("gpt-4.1-mini") || model.startsWith("o4-mini")) {
            double w = size[0];
            double h = size[1];
            double patches = Math.ceil(w / 32) * Math.ceil(h / 32);
            if (patches > 1536) {
                double f = Math.sqrt(1536 * 1024 / (w * h));
                w *= f;
                h *= f;
                patches = Math.min(1536, Math.floor(w / 32) * Math.floor(h / 32));
            }
            return (long) Math.ceil(patches * (model.startsWith("o4-mini") ? 1.72 : 1.62));
        }
        int base = model.startsWith("gpt-4o-mini") ? 2833 : model.startsWith("o") ? 75
                : model.startsWith("gpt-5") ? 70 : 85;
        int tile = model.startsWith("gpt-4o-mini") ? 5667 : model.startsWith("o") ? 150
                : model.startsWith("gpt-5") ? 140 : 170;
        if (detail.equals("low")) {
            return base;
        }
        long w = size[0];
        long h = size[1];
        if (Math.max(w, h) > 2048) {
            double f = 2048.0 / Math.max(w, h);
            w = Math.round(w * f);
            h = Math.round(h * f);
        }
        if (Math.min(w, h) > 768) {
            double f = 768.0 / Math.min(w, h);
            w = Math.round(w * f);
            h = Math.round(h * f);
        }
        return base + tile * ((w + 511) / 512) * ((h + 511) / 512);
    }

    private static int[] size(String url) {
        Matcher remote = REMOTE.matcher(url);
        if (remote.matches()) {
            return new int[] {Integer.parseInt(remote.group(1)), Integer.parseInt(remote.group(2))};
        }
        byte[] bytes = Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1));
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            return new int[] {reader.getWidth(0), reader.getHeight(0)};
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Test audio: the first byte is its bitrate in kbit/s; OpenAI bills 10 tokens a second of input audio. */
    private static long audioTokens(String data) {
        byte[] bytes = Base64.getDecoder().decode(data);
        double seconds = bytes.length / ((bytes[0] & 0xFF) * 125.0);
        return (long) Math.ceil(seconds * 10);
    }

    private static int count(Encoding encoding, String text) {
        return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    static JsonMapper json() {
        return JSON;
    }
}
