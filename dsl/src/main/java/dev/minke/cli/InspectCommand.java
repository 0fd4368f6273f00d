package dev.minke.cli;

import dev.minke.dsl.Image;
import dev.minke.image.Json;
import dev.minke.registry.Reference;
import dev.minke.store.Store;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code minke inspect IMAGE}: the manifest and config of an image as JSON. */
final class InspectCommand implements Command {
  @Override
  public String usage() {
    return "inspect IMAGE";
  }

  @Override
  public String summary() {
    return "Print an image's reference, digest, manifest and config as JSON";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException {
    String name = Args.parse(args, List.of(), List.of()).positional(1).get(0);
    Image image = Image.lookup(Store.openDefault(), Reference.parse(name));
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("Reference", image.reference().map(Object::toString).orElse(null));
    view.put("Digest", image.digest().toString());
    view.put("Id", image.id().toString());
    view.put("Manifest", image.manifest());
    view.put("Config", image.config());
    out.println(Json.pretty(view));
    return 0;
  }
}
