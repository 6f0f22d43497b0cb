package dev.tally.gateway.pricing;

import java.util.Base64;
import java.util.Optional;

/**
 * An image's pixel size read from the header of an inline ({@code data:}) image: PNG, GIF, WebP, or JPEG's
 * start-of-frame segment. No decoding: the bytes say it, and an image whose header cannot be read is held at the
 * formula's maximum instead.
 */
public record ImageSize(int width, int height) {

    public static Optional<ImageSize> ofDataUrl(String url) {
        int comma = url.indexOf(',');
        if (!url.startsWith("data:") || comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(url.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return of(bytes).filter(s -> s.width > 0 && s.height > 0);
    }

    public static Optional<ImageSize> of(byte[] b) {
        if (b.length >= 24 && u8(b, 0) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return Optional.of(new ImageSize(be32(b, 16), be32(b, 20)));
        }
        if (b.length >= 10 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') {
            return Optional.of(new ImageSize(le16(b, 6), le16(b, 8)));
        }
        if (b.length >= 30 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
                && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return webp(b);
        }
        if (b.length >= 4 && u8(b, 0) == 0xFF && u8(b, 1) == 0xD8) {
            return jpeg(b);
        }
        return Optional.empty();
    }

    private static Optional<ImageSize> webp(byte[] b) {
        String chunk = new String(b, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
        return switch (chunk) {
            case "VP8X" -> Optional.of(new ImageSize(1 + le24(b, 24), 1 + le24(b, 27)));
            case "VP8L" -> {
                int bits = le32(b, 21);
                yield Optional.of(new ImageSize(1 + (bits & 0x3FFF), 1 + ((bits >>> 14) & 0x3FFF)));
            }
            case "VP8 " -> Optional.of(new ImageSize(le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF));
            default -> Optional.empty();
        };
    }

    /** Walks the segments to the first start-of-frame marker (C0–CF but C4, C8 and CC), which holds the size. */
    private static Optional<ImageSize> jpeg(byte[] b) {
        int i = 2;
        while (i + 9 < b.length) {
            if (u8(b, i) != 0xFF) {
                return Optional.empty();
            }
            int marker = u8(b, i + 1);
            if (marker == 0xFF) {
                i++;
                continue;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2;
                continue;
            }
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                return Optional.of(new ImageSize(be16(b, i + 7), be16(b, i + 5)));
            }
            i += 2 + be16(b, i + 2);
        }
        return Optional.empty();
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int be16(byte[] b, int i) {
        return (u8(b, i) << 8) | u8(b, i + 1);
    }

    private static int be32(byte[] b, int i) {
        return (be16(b, i) << 16) | be16(b, i + 2);
    }

    private static int le16(byte[] b, int i) {
        return u8(b, i) | (u8(b, i + 1) << 8);
    }

    private static int le24(byte[] b, int i) {
        return le16(b, i) | (u8(b, i + 2) << 16);
    }

    private static int le32(byte[] b, int i) {
        return le24(b, i) | (u8(b, i + 3) << 24);
    }
}
