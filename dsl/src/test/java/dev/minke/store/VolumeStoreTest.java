package dev.minke.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Volumes on disk: Docker's {@code volumes/<name>/_data} layout, names, records and removal. */
class VolumeStoreTest {
  @TempDir Path home;

  @Test
  void create_makesDockersLayout_andRecordsTheVolume() {
    VolumeStore volumes = new VolumeStore(home);
    Volume db = volumes.create("dbdata", false);
    assertEquals("dbdata", db.name());
    assertFalse(db.anonymous());
    assertEquals(home.resolve("volumes/dbdata/_data"), volumes.dataDir("dbdata"));
    assertTrue(Files.isDirectory(volumes.dataDir("dbdata")));
    assertTrue(volumes.isEmpty("dbdata"));
    assertEquals(Optional.of(db), new VolumeStore(home).find("dbdata"), "another VolumeStore reads the same record");
  }

  @Test
  void create_anExistingName_returnsTheVolumeAsItIs() throws IOException {
    VolumeStore volumes = new VolumeStore(home);
    Volume first = volumes.create("data", false);
    Files.writeString(volumes.dataDir("data").resolve("f"), "kept");
    assertEquals(first, volumes.create("data", true));
    assertEquals("kept", Files.readString(volumes.dataDir("data").resolve("f")));
  }

  @Test
  void list_isSortedByName_andIgnoresHalfMadeDirectories() throws IOException {
    VolumeStore volumes = new VolumeStore(home);
    volumes.create("zz", false);
    String anonymous = VolumeStore.randomName();
    volumes.create(anonymous, true);
    Files.createDirectories(home.resolve("volumes/.new-123/_data"));
    assertEquals(List.of(anonymous, "zz"), volumes.list().stream().map(Volume::name).sorted().toList());
    assertTrue(volumes.get(anonymous).anonymous());
    assertEquals(64, anonymous.length());
  }

  @Test
  void delete_removesTheDataToo() throws IOException {
    VolumeStore volumes = new VolumeStore(home);
    volumes.create("gone", false);
    Files.createDirectories(volumes.dataDir("gone").resolve("a/b"));
    Files.writeString(volumes.dataDir("gone").resolve("a/b/c"), "x");
    assertEquals(1, volumes.sizeBytes("gone"));
    volumes.delete("gone");
    assertEquals(Optional.empty(), volumes.find("gone"));
    try (var left = Files.list(home.resolve("volumes"))) {
      assertEquals(List.of(), left.toList());
    }
    assertThrows(VolumeNotFoundException.class, () -> volumes.delete("gone"));
  }

  @Test
  void get_unknown_throwsNamingIt() {
    VolumeNotFoundException e = assertThrows(VolumeNotFoundException.class, () -> new VolumeStore(home).get("nope"));
    assertEquals("nope", e.name());
    assertTrue(e.getMessage().contains("no such volume: nope"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"db", "dbdata", "my_vol.1-x", "0abc", "A"})
  void isValidName_good(String name) {
    assertEquals(name.length() >= 2, VolumeStore.isValidName(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", "-db", ".db", "_db", "db/x", "../x", "db:ro", "db data", "/abs"})
  void create_badName_isRefusedNamingTheRule(String name) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new VolumeStore(home).create(name, false));
    assertTrue(e.getMessage().contains("invalid volume name \"" + name + "\""), e.getMessage());
    assertEquals(List.of(), new VolumeStore(home).list());
  }

  @Test
  void nameOf_recognisesOnlyAVolumesDataDirectory() {
    VolumeStore volumes = new VolumeStore(home);
    assertEquals(Optional.of("db"), volumes.nameOf(home.resolve("volumes/db/_data")));
    assertEquals(Optional.empty(), volumes.nameOf(home.resolve("volumes/db")));
    assertEquals(Optional.empty(), volumes.nameOf(home.resolve("volumes/db/_data/sub")));
    assertEquals(Optional.empty(), volumes.nameOf(Path.of("/srv/db/_data")));
    assertEquals(Optional.empty(), volumes.nameOf(home.resolve("other/volumes/db/_data")));
  }

  @Test
  void locked_isReentrant_andExcludesOtherThreads() throws Exception {
    VolumeStore volumes = new VolumeStore(home);
    StringBuilder order = new StringBuilder();
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Future<?> second = volumes.locked(() -> {
        Future<?> f = other.submit(() -> volumes.locked(() -> order.append("second")));
        volumes.locked(() -> order.append("nested,"));
        sleep(200);
        order.append("first,");
        return f;
      });
      second.get();
    } finally {
      other.shutdown();
    }
    assertEquals("nested,first,second", order.toString());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
