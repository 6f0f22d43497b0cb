package dev.tally.gateway.pricing;

/**
 * How a model family turns an image into input tokens, from its published formula. With the image's size known (a
 * {@code data:} URL) the count is the formula's; for a remote image, whose size the gateway does not fetch, it is the
 * most the formula can give.
 */
public sealed interface ImageBilling {

    /** @param size null when unknown */
    int tokens(ImageSize size, String detail);

    static ImageBilling tiles(int base, int perTile) {
        return new Tiles(base, perTile);
    }

    static ImageBilling patches(double multiplier) {
        return new Patches(multiplier);
    }

    static ImageBilling claude(int longEdge, int maxTokens, boolean patches) {
        return new Claude(longEdge, maxTokens, patches);
    }

    /**
     * OpenAI's tile formula: {@code low} is the base; otherwise the image is scaled to fit 2048×2048, then down so its
     * shortest side is 768, and each 512-px tile costs {@code perTile}. At most 2 × 4 tiles (768 × 2048).
     */
    record Tiles(int base, int perTile) implements ImageBilling {
        @Override
        public int tokens(ImageSize size, String detail) {
            if ("low".equals(detail)) {
                return base;
            }
            if (size == null) {
                return base + 8 * perTile;
            }
            double w = size.width();
            double h = size.height();
            double fit = Math.min(1, 2048 / Math.max(w, h));
            w *= fit;
            h *= fit;
            double shortest = Math.min(w, h);
            if (shortest > 768) {
                w *= 768 / shortest;
                h *= 768 / shortest;
            }
            // Ceiling on the unrounded size: never fewer tiles than whatever rounding OpenAI applies.
            long tiles = (long) Math.ceil(w / 512) * (long) Math.ceil(h / 512);
            return (int) (base + Math.min(tiles, 8) * perTile);
        }
    }

    /**
     * OpenAI's small models: one token per 32×32 patch, at most 1536 patches (a larger image is scaled down to fit),
     * times the model's multiplier. {@code detail} does not change it.
     */
    record Patches(double multiplier) implements ImageBilling {
        @Override
        public int tokens(ImageSize size, String detail) {
            long patches = size == null ? 1536
                    : Math.min(1536, ceilDiv(size.width(), 32) * ceilDiv(size.height(), 32));
            return (int) Math.ceil(patches * multiplier);
        }
    }

    /**
     * Anthropic: about width × height / 750 tokens, after scaling the image down so its long edge fits
     * {@code longEdge} (1568 px, or 2576 px from Opus 4.7) and its tokens fit about {@code maxTokens} (~1,600, or
     * ~5,000). For the newer models, whose encoder is said to work on 28-px patches, the patch count is taken when
     * larger.
     */
    record Claude(int longEdge, int maxTokens, boolean patches) implements ImageBilling {
        @Override
        public int tokens(ImageSize size, String detail) {
            if (size == null) {
                return maxTokens;
            }
            double fit = Math.min(1, (double) longEdge / Math.max(size.width(), size.height()));
            double w = size.width() * fit;
            double h = size.height() * fit;
            double byArea = Math.ceil(w * h / 750);
            double byPatch = patches ? Math.ceil(w / 28) * Math.ceil(h / 28) : 0;
            return (int) Math.min(maxTokens, Math.max(byArea, byPatch));
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
