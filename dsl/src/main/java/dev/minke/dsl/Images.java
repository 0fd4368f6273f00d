package dev.minke.dsl;

import dev.minke.store.Store;
import dev.minke.store.StoredImage;
import java.util.ArrayList;
import java.util.List;

/** Image lists and well-known images of a store. */
public final class Images {
  private Images() {}

  /** Every entry of the store's index as an image value, tagged ones first. */
  public static List<Image> list(Store store) {
    List<Image> images = new ArrayList<>();
    for (StoredImage stored : store.images().list()) {
      images.add(Image.of(store, stored.manifest(), stored.reference().orElse(null)));
    }
    return images;
  }

  /** The offline busybox image, made from Debian's busybox-static if the store lacks it. */
  public static Image busybox(Store store) {
    var result = dev.minke.build.BusyboxImage.ensure(store);
    return Image.of(store, result.manifestDescriptor(), dev.minke.build.BusyboxImage.NAME);
  }

  /** {@code docker images}: repository, tag, image ID, size. */
  public static String table(List<Image> images) {
    List<List<String>> rows = new ArrayList<>();
    for (Image image : images) {
      String repository = image.reference().map(r -> familiarName(r.familiar())).orElse("<none>");
      String tag = image.reference().map(r -> r.tag() == null ? "<none>" : r.tag()).orElse("<none>");
      rows.add(List.of(repository, tag, image.id().shortHex(), image.digest().shortHex(),
          Texts.bytes(image.compressedSizeBytes())));
    }
    return Texts.table(List.of("REPOSITORY", "TAG", "IMAGE ID", "DIGEST", "SIZE"), rows);
  }

  private static String familiarName(String familiar) {
    int at = familiar.indexOf('@');
    String name = at < 0 ? familiar : familiar.substring(0, at);
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
  }
}
