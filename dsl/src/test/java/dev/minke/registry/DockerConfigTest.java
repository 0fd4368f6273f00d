package dev.minke.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minke.image.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigTest {
  @TempDir Path tmp;

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void lookup_authsEntries_byHostOrUrl_andDockerHubAliases() throws Exception {
    Path file = tmp.resolve("config.json");
    Files.writeString(file, """
        {"auths": {
          "https://index.docker.io/v1/": {"auth": "%s"},
          "http://localhost:5000/v2/": {"auth": "%s"},
          "plain.example": {"username": "u3", "password": "p3"},
          "broken.example": {"auth": "!!!"}
        }, "HttpHeaders": {"X-Keep": "me"}}
        """.formatted(b64("hubuser:hub:pass"), b64("local:secret")));
    DockerConfig config = new DockerConfig(file);
    assertEquals(Optional.of(new Credential("hubuser", "hub:pass")), config.lookup("registry-1.docker.io"));
    assertEquals(Optional.of(new Credential("hubuser", "hub:pass")), config.lookup("docker.io"));
    assertEquals(Optional.of(new Credential("local", "secret")), config.lookup("localhost:5000"));
    assertEquals(Optional.of(new Credential("u3", "p3")), config.lookup("plain.example"));
    assertEquals(Optional.empty(), config.lookup("broken.example"));
    assertEquals(Optional.empty(), config.lookup("other.example"));
  }

  @Test
  void lookup_missingFile_isAnonymous() {
    assertEquals(Optional.empty(), new DockerConfig(tmp.resolve("nope/config.json")).lookup("docker.io"));
  }

  @Test
  void store_andErase_writeMode0600_keepUnknownFields() throws Exception {
    Path file = tmp.resolve("docker/config.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"HttpHeaders\":{\"X-Keep\":\"me\"},\"auths\":{\"other:1\":{\"auth\":\"" + b64("o:p") + "\"}}}");
    DockerConfig config = new DockerConfig(file);
    config.store("localhost:5000", new Credential("me", "pw"));
    config.store("docker.io", new Credential("hub", "hpw"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    JsonNode json = Json.mapper().readTree(file.toFile());
    assertEquals("me", json.path("HttpHeaders").path("X-Keep").asText());
    assertEquals(b64("me:pw"), json.path("auths").path("localhost:5000").path("auth").asText());
    assertEquals(b64("hub:hpw"), json.path("auths").path("https://index.docker.io/v1/").path("auth").asText());
    assertEquals(Optional.of(new Credential("me", "pw")), config.lookup("localhost:5000"));

    assertTrue(config.erase("localhost:5000"));
    assertFalse(config.erase("localhost:5000"));
    assertTrue(config.erase("registry-1.docker.io"));
    json = Json.mapper().readTree(file.toFile());
    assertFalse(json.path("auths").has("localhost:5000"));
    assertTrue(json.path("auths").has("other:1"));
    assertEquals(Optional.empty(), config.lookup("docker.io"));
  }

  @Test
  void store_createsThePrivateDirectory() throws Exception {
    Path file = tmp.resolve("fresh/.docker/config.json");
    new DockerConfig(file).store("r.example", new Credential("a", "b"));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void credentialHelpers_getStoreErase() throws Exception {
    Path helpers = tmp.resolve("bin");
    Files.createDirectories(helpers);
    Path log = tmp.resolve("helper.log");
    // A fake docker-credential-fake: logs each call and answers `get` for one server.
    Path helper = helpers.resolve("docker-credential-fake");
    Files.writeString(helper, """
        #!/bin/sh
        input=$(cat)
        echo "$1 $input" >> %s
        case "$1" in
          get) if [ "$input" = "helped.example" ]; then
                 echo '{"ServerURL":"helped.example","Username":"hu","Secret":"hs"}'
               else echo "credentials not found in native keychain"; exit 1; fi ;;
          store|erase) exit 0 ;;
        esac
        """.formatted(log));
    helper.toFile().setExecutable(true);
    Path file = tmp.resolve("config.json");
    Files.writeString(file, "{\"credHelpers\":{\"helped.example\":\"fake\"},\"credsStore\":\"fake\"}");
    DockerConfig config = new DockerConfig(file, helpers);
    assertEquals(Optional.of(new Credential("hu", "hs")), config.lookup("helped.example"));
    assertEquals(Optional.empty(), config.lookup("unknown.example"));
    config.store("new.example", new Credential("nu", "ns"));
    assertTrue(config.erase("new.example"));
    String calls = Files.readString(log);
    assertTrue(calls.contains("store {\"ServerURL\":\"new.example\",\"Username\":\"nu\",\"Secret\":\"ns\"}"), calls);
    assertTrue(calls.contains("erase new.example"), calls);
    // With a helper, the secret never lands in the file.
    assertFalse(Files.readString(file).contains(b64("nu:ns")));
  }

  @Test
  void credential_toString_hidesThePassword() {
    assertFalse(new Credential("u", "s3cret").toString().contains("s3cret"));
  }

  @Test
  void key_dockerHubUsesTheLegacyUrl() {
    assertEquals("https://index.docker.io/v1/", DockerConfig.key("docker.io"));
    assertEquals("https://index.docker.io/v1/", DockerConfig.key("registry-1.docker.io"));
    assertEquals("localhost:5000", DockerConfig.key("http://localhost:5000/v2/"));
  }
}
