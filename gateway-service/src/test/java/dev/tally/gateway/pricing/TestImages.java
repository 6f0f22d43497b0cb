package dev.tally.gateway.pricing;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/** Real image bytes of a given size, encoded by ImageIO, and data URLs of them. */
public final class TestImages {

    private TestImages() {
    }

    public static byte[] encode(String format, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0x336699);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalArgumentException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String dataUrl(String format, int width, int height) {
        return "data:image/" + format + ";base64," + Base64.getEncoder().encodeToString(encode(format, width, height));
    }

    /** ImageIO writes no WebP: the header of an extended (VP8X) WebP, which is where the size is. */
    public static byte[] webpHeader(int width, int height) {
        byte[] b = new byte[30];
        System.arraycopy("RIFF".getBytes(), 0, b, 0, 4);
        System.arraycopy("WEBPVP8X".getBytes(), 0, b, 8, 8);
        b[16] = 10;
        le24(b, 24, width - 1);
        le24(b, 27, height - 1);
        return b;
    }

    private static void le24(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >> 8);
        b[i + 2] = (byte) (v >> 16);
    }
}
