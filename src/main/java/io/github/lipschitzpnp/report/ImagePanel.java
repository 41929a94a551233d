package io.github.lipschitzpnp.report;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A row of 2D grayscale images side by side, each with a caption, all shown with the same display
 * range so that they can be compared; written as PNG.
 */
public final class ImagePanel {

    private record Tile(float[] data, int width, int height, String caption) {
    }

    private final List<Tile> tiles = new ArrayList<>();
    private final double low;
    private final double high;

    /** A panel showing values in [low, high] as black to white (clipped outside). */
    public ImagePanel(double low, double high) {
        if (!(high > low)) {
            throw new IllegalArgumentException("display range must have high > low");
        }
        this.low = low;
        this.high = high;
    }

    /** Adds a 2D image with a caption (two lines allowed, separated by a newline). */
    public ImagePanel add(RandomAccessibleInterval<FloatType> img, String caption) {
        if (img.numDimensions() != 2) {
            throw new IllegalArgumentException("panels show 2D images; take a slice first");
        }
        tiles.add(new Tile(FloatImages.copyData(img), (int) img.dimension(0), (int) img.dimension(1), caption));
        return this;
    }

    /** Writes the panel, each image scaled to {@code side} pixels wide (nearest neighbour), atomically. */
    public void writePng(Path file, int side) throws IOException {
        int gap = 6;
        int captionHeight = 40;
        int maxH = 0;
        for (Tile t : tiles) {
            maxH = Math.max(maxH, (int) Math.round((double) t.height() * side / t.width()));
        }
        int w = tiles.size() * side + (tiles.size() + 1) * gap;
        int h = maxH + captionHeight + 2 * gap;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int x0 = gap;
        for (Tile t : tiles) {
            int th = (int) Math.round((double) t.height() * side / t.width());
            BufferedImage img = new BufferedImage(side, th, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < th; y++) {
                int sy = Math.min(t.height() - 1, (int) ((long) y * t.height() / th));
                for (int x = 0; x < side; x++) {
                    int sx = Math.min(t.width() - 1, (int) ((long) x * t.width() / side));
                    double v = (t.data()[sy * t.width() + sx] - low) / (high - low);
                    int gray = (int) Math.round(255 * Math.max(0, Math.min(1, Double.isFinite(v) ? v : 0)));
                    img.getRaster().setSample(x, y, 0, gray);
                }
            }
            g.drawImage(img, x0, gap, null);
            g.setColor(Color.BLACK);
            String[] lines = t.caption().split("\n");
            for (int i = 0; i < lines.length && i < 2; i++) {
                g.drawString(lines[i], x0 + 2, gap + maxH + 16 + 16 * i);
            }
            x0 += side + gap;
        }
        g.dispose();
        AtomicFiles.write(file, os -> ImageIO.write(out, "png", os));
    }
}
