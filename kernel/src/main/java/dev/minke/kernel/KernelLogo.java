package dev.minke.kernel;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * The kernel's logos: {@code logo-svg.svg} (JupyterLab) from the resource, and the two PNG
 * sizes classic Notebook wants, drawn here from the same shapes (three stacked layers) rather
 * than kept as binary files.
 */
final class KernelLogo {
  private static final Color SEA = new Color(0x1f, 0x6f, 0xb2);
  private static final Color[] LAYERS = {new Color(0x9c, 0xd3, 0xf5), new Color(0x5a, 0xb0, 0xe8), new Color(0xff, 0xff, 0xff)};

  private KernelLogo() {}

  static void write(Path specDir) throws IOException {
    try (InputStream svg = KernelLogo.class.getResourceAsStream("logo.svg")) {
      if (svg == null) {
        throw new IOException("the logo resource dev/minke/kernel/logo.svg is missing from the jar");
      }
      Files.copy(svg, specDir.resolve("logo-svg.svg"));
    }
    for (int size : new int[] {32, 64}) {
      ImageIO.write(draw(size), "png", specDir.resolve("logo-" + size + "x" + size + ".png").toFile());
    }
  }

  /** A rounded blue square with three layer bars, as in logo.svg (a 64-unit square). */
  static BufferedImage draw(int size) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.scale(size / 64.0, size / 64.0);
      g.setColor(SEA);
      g.fill(new RoundRectangle2D.Double(0, 0, 64, 64, 14, 14));
      g.setStroke(new BasicStroke(1));
      for (int i = 0; i < LAYERS.length; i++) {
        g.setColor(LAYERS[i]);
        g.fill(new RoundRectangle2D.Double(12, 40 - i * 12, 40, 9, 4, 4));
      }
    } finally {
      g.dispose();
    }
    return image;
  }
}
