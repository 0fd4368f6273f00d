package dev.minke.image;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * An {@link ImageAnalysis} in the JSON shape of dive's export ({@code
 * cmd/dive/cli/internal/command/export/export.go}), so that tools and people who read dive's
 * output read Minke's: serialize it with Jackson.
 *
 * <p>Differences from dive, all in {@code fileList}: entries only implied by deeper paths are not
 * listed (dive lists them with empty fields), and whiteout entries are listed with mode, uid and
 * gid 0, since a {@link LayerListing} keeps only what a whiteout deletes.
 */
public record DiveExport(List<Layer> layer, Image image) {

  public DiveExport {
    layer = List.copyOf(layer);
    Objects.requireNonNull(image, "image");
  }

  /** What dive shows about a layer that its tar does not say. */
  public record LayerMeta(String id, String digestId, String command) {
    public LayerMeta {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(digestId, "digestId");
      Objects.requireNonNull(command, "command");
    }
  }

  /** One layer: position, ids, size, the command that made it, and its entries. */
  public record Layer(
      int index, String id, String digestId, long sizeBytes, String command,
      List<FileEntry> fileList) {
    public Layer {
      fileList = List.copyOf(fileList);
    }
  }

  /**
   * One tar entry as dive's {@code FileInfo} serializes it: {@code typeFlag} is the tar type flag
   * byte and {@code fileMode} is Go's {@code os.FileMode} (permission bits plus type bits such as
   * {@code 1<<31} for a directory).
   */
  public record FileEntry(
      String path, int typeFlag, String linkName, long size, long fileMode, long uid, long gid,
      boolean isDir) {}

  /** The image totals and the inefficient paths, largest first. */
  public record Image(
      long sizeBytes, long inefficientBytes, double efficiencyScore,
      List<FileReference> fileReference) {
    public Image {
      fileReference = List.copyOf(fileReference);
    }
  }

  /** One inefficient path: how many layers touch it, their bytes, and its absolute path. */
  public record FileReference(int count, long sizeBytes, String file) {}

  static DiveExport of(ImageAnalysis analysis, List<LayerMeta> layerMetas) {
    if (layerMetas.size() != analysis.layers().size()) {
      throw new IllegalArgumentException(
          layerMetas.size() + " layer metas for " + analysis.layers().size() + " layers");
    }
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < layerMetas.size(); i++) {
      LayerMeta meta = layerMetas.get(i);
      LayerListing listing = analysis.layers().get(i);
      layers.add(
          new Layer(i, meta.id(), meta.digestId(), listing.sizeBytes(), meta.command(),
              fileList(listing)));
    }
    List<FileReference> references = new ArrayList<>();
    for (Inefficiency inefficiency : analysis.efficiency().inefficiencies()) {
      // dive names tree nodes from the root: "/etc/hosts".
      references.add(
          new FileReference(
              inefficiency.count(), inefficiency.cumulativeBytes(), "/" + inefficiency.path()));
    }
    Efficiency efficiency = analysis.efficiency();
    return new DiveExport(
        layers,
        new Image(analysis.sizeBytes(), efficiency.wastedBytes(), efficiency.score(), references));
  }

  /** The layer's entries and whiteouts, children before parents, as dive walks its tree. */
  private static List<FileEntry> fileList(LayerListing listing) {
    List<FileEntry> entries = new ArrayList<>();
    for (FileInfo info : listing.entries().values()) {
      entries.add(
          new FileEntry(
              info.path(),
              info.type().tarTypeFlag(),
              info.linkTarget(),
              info.sizeBytes(),
              GoFileModes.of(info.type(), info.mode()),
              info.uid(),
              info.gid(),
              info.isDirectory()));
    }
    for (String deleted : listing.whiteouts()) {
      String markerName = TarPaths.WHITEOUT_PREFIX + TarPaths.name(deleted);
      String marker = TarPaths.join(TarPaths.parent(deleted), markerName);
      entries.add(new FileEntry(marker, FileType.FILE.tarTypeFlag(), "", 0, 0, 0, 0, false));
    }
    entries.sort(Comparator.comparing(FileEntry::path, DiveExport::childrenFirst));
    return entries;
  }

  /** Depth-first order by name with children before their parent, like dive's tree walk. */
  static int childrenFirst(String a, String b) {
    String[] left = a.split("/");
    String[] right = b.split("/");
    for (int i = 0; i < Math.min(left.length, right.length); i++) {
      int byName = left[i].compareTo(right[i]);
      if (byName != 0) {
        return byName;
      }
    }
    return Integer.compare(right.length, left.length); // the deeper path, the descendant, first
  }
}
