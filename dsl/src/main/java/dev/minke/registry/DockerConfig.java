package dev.minke.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minke.error.MinkeException;
import dev.minke.image.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Docker's {@code ~/.docker/config.json}: credentials in {@code auths} (base64 {@code user:pass})
 * or in a credential helper ({@code credsStore} for all, {@code credHelpers} per registry), run
 * as {@code docker-credential-<name> get|store|erase}. {@link #store} and {@link #erase} write the
 * file as Docker does, mode 0600, keeping every field Minke does not know.
 */
final class DockerConfig {
  /** The key Docker uses for Docker Hub in {@code auths}. */
  static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";
  private static final Pattern HELPER_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final List<String> HUB_NAMES =
      List.of("docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com");

  private final Path file;
  /** Where {@code docker-credential-*} programs are; null: the PATH (tests put fakes elsewhere). */
  private final Path helperDir;

  DockerConfig(Path file) {
    this(file, null);
  }

  DockerConfig(Path file, Path helperDir) {
    this.file = file;
    this.helperDir = helperDir;
  }

  /**
   * The system property {@code minke.dockerConfig} (a file; tests and embedders), else {@code
   * $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}.
   */
  static Path defaultFile() {
    String property = System.getProperty("minke.dockerConfig");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    String dir = System.getenv("DOCKER_CONFIG");
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir, "config.json");
    }
    return Path.of(System.getProperty("user.home"), ".docker", "config.json");
  }

  Path file() {
    return file;
  }

  /** {@code auths} key for a registry: Docker Hub's legacy URL, else the host as given. */
  static String key(String registry) {
    return isHub(normalizeKey(registry)) ? DOCKER_HUB_KEY : normalizeKey(registry);
  }

  /** Strips a scheme and a path: {@code https://host:5000/v1/} → {@code host:5000}. */
  static String normalizeKey(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    int scheme = k.indexOf("://");
    if (scheme >= 0) {
      k = k.substring(scheme + 3);
    }
    int slash = k.indexOf('/');
    return slash >= 0 ? k.substring(0, slash) : k;
  }

  private static boolean isHub(String host) {
    return HUB_NAMES.contains(host);
  }

  /** The credential for a registry host, if the file or a helper has one. */
  Optional<Credential> lookup(String registry) {
    ObjectNode root = read();
    String host = normalizeKey(registry);
    String helper = helperFor(root, host);
    if (helper != null) {
      Optional<Credential> fromHelper = helperGet(helper, key(host));
      if (fromHelper.isPresent()) {
        return fromHelper;
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("auths").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String entryHost = normalizeKey(entry.getKey());
      if (entryHost.equals(host) || (isHub(entryHost) && isHub(host))) {
        Optional<Credential> credential = fromAuthEntry(entry.getValue());
        if (credential.isPresent()) {
          return credential;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Credential> fromAuthEntry(JsonNode entry) {
    String auth = entry.path("auth").asText("");
    if (!auth.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      int colon = decoded.indexOf(':');
      if (colon > 0) {
        return Optional.of(new Credential(decoded.substring(0, colon), decoded.substring(colon + 1)));
      }
    }
    String user = entry.path("username").asText("");
    String pass = entry.path("password").asText("");
    return user.isEmpty() ? Optional.empty() : Optional.of(new Credential(user, pass));
  }

  private static String helperFor(ObjectNode root, String host) {
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("credHelpers").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String entryHost = normalizeKey(entry.getKey());
      if (entryHost.equals(host) || (isHub(entryHost) && isHub(host))) {
        return entry.getValue().asText(null);
      }
    }
    String store = root.path("credsStore").asText("");
    return store.isEmpty() ? null : store;
  }

  /** Records a login: in the helper when one is configured, else base64 in {@code auths}. */
  void store(String registry, Credential credential) {
    ObjectNode root = read();
    String key = key(registry);
    String helper = helperFor(root, normalizeKey(registry));
    ObjectNode auths = root.has("auths") && root.get("auths").isObject()
        ? (ObjectNode) root.get("auths") : root.putObject("auths");
    if (helper != null) {
      ObjectNode request = Json.mapper().createObjectNode();
      request.put("ServerURL", key).put("Username", credential.username()).put("Secret", credential.password());
      runHelper(helper, "store", Json.bytes(request));
      auths.putObject(key); // Docker leaves an empty entry so that the registry is listed.
    } else {
      auths.putObject(key).put("auth", Base64.getEncoder().encodeToString(
          (credential.username() + ":" + credential.password()).getBytes(StandardCharsets.UTF_8)));
    }
    write(root);
  }

  /** Forgets a login; returns whether there was one. */
  boolean erase(String registry) {
    ObjectNode root = read();
    String host = normalizeKey(registry);
    boolean removed = false;
    if (root.path("auths").isObject()) {
      ObjectNode auths = (ObjectNode) root.get("auths");
      for (Iterator<String> it = auths.fieldNames(); it.hasNext(); ) {
        String entryHost = normalizeKey(it.next());
        if (entryHost.equals(host) || (isHub(entryHost) && isHub(host))) {
          it.remove();
          removed = true;
        }
      }
    }
    String helper = helperFor(root, host);
    if (helper != null) {
      try {
        runHelper(helper, "erase", key(registry).getBytes(StandardCharsets.UTF_8));
        removed = true;
      } catch (MinkeException notThere) {
        // Nothing stored in the helper: only the file entry (if any) counted.
      }
    }
    if (removed) {
      write(root);
    }
    return removed;
  }

  ObjectNode read() {
    try {
      JsonNode node = Json.mapper().readTree(Files.readAllBytes(file));
      return node instanceof ObjectNode object ? object : Json.mapper().createObjectNode();
    } catch (NoSuchFileException e) {
      return Json.mapper().createObjectNode();
    } catch (IOException e) {
      throw new MinkeException("cannot read Docker's credentials file " + file + ": " + e.getMessage(),
          "fix or remove the file, then run `minke login` again", e);
    }
  }

  private void write(ObjectNode root) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      // Created 0600 before any secret is written into it, then renamed over the old file.
      Path tmp = Files.createTempFile(dir, "config", ".json.tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.write(tmp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        try {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new MinkeException("cannot write Docker's credentials file " + file + ": " + e.getMessage(),
          "check that the directory is writable", e);
    }
  }

  private Optional<Credential> helperGet(String helper, String serverUrl) {
    byte[] output;
    try {
      output = runHelper(helper, "get", serverUrl.getBytes(StandardCharsets.UTF_8));
    } catch (MinkeException notFound) {
      return Optional.empty(); // "credentials not found": anonymous, as Docker does.
    }
    try {
      JsonNode json = Json.mapper().readTree(output);
      String user = json.path("Username").asText("");
      String secret = json.path("Secret").asText("");
      return secret.isEmpty() ? Optional.empty() : Optional.of(new Credential(user, secret));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Runs {@code docker-credential-<helper> <verb>} with {@code input} on stdin. */
  byte[] runHelper(String helper, String verb, byte[] input) {
    if (!HELPER_NAME.matcher(helper).matches()) {
      throw new MinkeException("credential helper name \"" + helper + "\" is not a plain name",
          "fix credsStore/credHelpers in the Docker config file");
    }
    String program = "docker-credential-" + helper;
    try {
      String executable = helperDir == null ? program : helperDir.resolve(program).toString();
      Process process = new ProcessBuilder(executable, verb).redirectErrorStream(true).start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(input);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream stdout = process.getInputStream()) {
        stdout.transferTo(out);
      }
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new MinkeException(program + " " + verb + " did not finish in 60 s", "check the credential helper");
      }
      if (process.exitValue() != 0) {
        throw new MinkeException(program + " " + verb + " failed: " + out.toString(StandardCharsets.UTF_8).strip(),
            "check the credential helper, or remove it from the Docker config file");
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new MinkeException("cannot run the credential helper " + program + ": " + e.getMessage(),
          "install " + program + " or remove it from the Docker config file", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MinkeException("interrupted while running " + program, "", e);
    }
  }
}
