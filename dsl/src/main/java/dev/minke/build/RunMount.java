package dev.minke.build;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code RUN --mount}: something bound into the step's container for that step only, whose
 * content never enters the layer or the cache key (its spec, {@link #text()}, does).
 */
public sealed interface RunMount {
  /** The container path the mount is made at. */
  String target();

  /** The flag value as written in a Dockerfile, e.g. {@code type=cache,target=/root/.cache}. */
  String text();

  /**
   * {@code type=cache}: a directory kept in the store across builds, under {@code id} (the target
   * when not given). {@code sharing}: {@code shared} (concurrent steps use it together), {@code
   * locked} (one step at a time) or {@code private} (a concurrent step gets a fresh empty one).
   */
  record Cache(String target, String id, String sharing) implements RunMount {
    public Cache {
      target = absolute(target, "cache");
      id = id == null || id.isEmpty() ? target : id;
      sharing = sharing == null || sharing.isEmpty() ? "shared" : sharing.toLowerCase(Locale.ROOT);
      if (!sharing.equals("shared") && !sharing.equals("private") && !sharing.equals("locked")) {
        throw new IllegalArgumentException("unknown cache mount sharing \"" + sharing
            + "\": use \"shared\", \"private\" or \"locked\"");
      }
    }

    @Override
    public String text() {
      return "type=cache,target=" + target + (id.equals(target) ? "" : ",id=" + id)
          + (sharing.equals("shared") ? "" : ",sharing=" + sharing);
    }
  }

  /**
   * {@code type=secret}: the file given with {@link BuildOptions#withSecret} under {@code id},
   * read-only (0400) at {@code target} ({@code /run/secrets/<id>} when not given).
   */
  record Secret(String id, String target) implements RunMount {
    public Secret {
      if (id == null || id.isEmpty() || id.contains("/")) {
        throw new IllegalArgumentException("a secret mount needs an id without `/`, e.g. type=secret,id=token");
      }
      target = target == null || target.isEmpty() ? "/run/secrets/" + id : absolute(target, "secret");
    }

    @Override
    public String text() {
      return "type=secret,id=" + id + (target.equals("/run/secrets/" + id) ? "" : ",target=" + target);
    }
  }

  /**
   * Parses a Dockerfile {@code --mount} value: {@code type=cache,target=…[,id=…][,sharing=…]}
   * or {@code type=secret,id=…[,target=…]} ({@code dst}/{@code destination} for {@code target}).
   */
  static RunMount parse(String value) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String part : value.split(",")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String key = (eq < 0 ? part : part.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
      String val = eq < 0 ? "" : part.substring(eq + 1).trim();
      if (key.equals("dst") || key.equals("destination")) {
        key = "target";
      }
      fields.put(key, val);
    }
    String type = fields.getOrDefault("type", "bind");
    switch (type) {
      case "cache" -> {
        for (String key : fields.keySet()) {
          if (!Map.of("type", 1, "target", 1, "id", 1, "sharing", 1).containsKey(key)) {
            throw new IllegalArgumentException("cache mount option \"" + key + "\" is not supported");
          }
        }
        return new Cache(fields.get("target"), fields.get("id"), fields.get("sharing"));
      }
      case "secret" -> {
        for (String key : fields.keySet()) {
          if (!Map.of("type", 1, "target", 1, "id", 1).containsKey(key)) {
            throw new IllegalArgumentException("secret mount option \"" + key + "\" is not supported");
          }
        }
        String id = fields.get("id");
        if ((id == null || id.isEmpty()) && fields.get("target") != null) {
          String target = fields.get("target");
          id = target.substring(target.lastIndexOf('/') + 1);
        }
        return new Secret(id, fields.get("target"));
      }
      default -> throw new IllegalArgumentException("mount type \"" + type
          + "\" is not supported: use type=cache or type=secret");
    }
  }

  private static String absolute(String target, String kind) {
    if (target == null || target.isEmpty()) {
      throw new IllegalArgumentException("a " + kind + " mount needs a target, e.g. target=/root/.cache");
    }
    if (!target.startsWith("/")) {
      target = "/" + target;
    }
    String normal = java.nio.file.Path.of(target).normalize().toString();
    if (normal.equals("/") || normal.contains("|") || normal.contains(",")) {
      throw new IllegalArgumentException("cannot mount a " + kind + " at \"" + target + "\"");
    }
    return normal;
  }
}
