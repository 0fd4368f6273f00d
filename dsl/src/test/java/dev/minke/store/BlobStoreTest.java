package dev.minke.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {
  @TempDir Path home;

  @Test
  void write_thenRead_roundTrips() {
    Store store = Store.open(home);
    byte[] content = randomBytes(300_000, 1);
    BlobStore.Written written = store.blobs().write(content);
    assertEquals(Digest.sha256(content), written.digest());
    assertEquals(content.length, written.sizeBytes());
    assertTrue(store.blobs().has(written.digest()));
    assertEquals(content.length, store.blobs().size(written.digest()));
    assertArrayEquals(content, store.blobs().readAll(written.digest()));
  }

  @Test
  void write_namesFileBySha256() throws IOException {
    Store store = Store.open(home);
    byte[] content = "hello".getBytes(StandardCharsets.UTF_8);
    Digest digest = store.blobs().write(content).digest();
    Path file = home.resolve("blobs/sha256/" + Digest.sha256(content).hex());
    assertEquals(file, store.blobs().path(digest));
    assertArrayEquals(content, Files.readAllBytes(file));
    assertEquals(List.of(digest), store.blobs().list());
  }

  @Test
  void open_flippedByte_throwsCorruptAtEndOfStream() throws IOException {
    Store store = Store.open(home);
    byte[] content = randomBytes(100_000, 2);
    Digest digest = store.blobs().write(content).digest();
    TestImages.flipByte(store.blobs().path(digest), 5000);
    try (InputStream in = store.blobs().open(digest)) {
      byte[] all = in.readNBytes(content.length); // No verdict before the end.
      assertEquals(content.length, all.length);
      CorruptBlobException e = assertThrows(CorruptBlobException.class, in::read);
      assertEquals(digest, e.expected());
      assertFalse(e.actual().equals(digest));
    }
    assertThrows(CorruptBlobException.class, () -> store.blobs().readAll(digest));
  }

  @Test
  void open_skipOverFlippedByte_stillThrowsCorrupt() throws IOException {
    Store store = Store.open(home);
    byte[] content = randomBytes(50_000, 3);
    Digest digest = store.blobs().write(content).digest();
    TestImages.flipByte(store.blobs().path(digest), 10);
    try (InputStream in = store.blobs().open(digest)) {
      in.skip(1000);
      assertThrows(CorruptBlobException.class, () -> in.transferTo(java.io.OutputStream.nullOutputStream()));
    }
  }

  @Test
  void writeExpecting_wrongDigest_throwsAndLeavesNothing() throws IOException {
    Store store = Store.open(home);
    byte[] content = randomBytes(10_000, 4);
    Digest wrong = Digest.sha256("something else");
    CorruptBlobException e = assertThrows(CorruptBlobException.class,
        () -> store.blobs().writeExpecting(new ByteArrayInputStream(content), wrong, "a test"));
    assertEquals(wrong, e.expected());
    assertEquals(Digest.sha256(content), e.actual());
    assertEquals(List.of(), store.blobs().list());
    assertEquals(List.of(), TestImages.tmpFiles(store));
  }

  @Test
  void writeExpecting_rightDigest_stores() {
    Store store = Store.open(home);
    byte[] content = randomBytes(10_000, 5);
    BlobStore.Written written =
        store.blobs().writeExpecting(new ByteArrayInputStream(content), Digest.sha256(content), "a test");
    assertEquals(Digest.sha256(content), written.digest());
    assertTrue(store.blobs().has(written.digest()));
  }

  @Test
  void open_missingBlob_throwsBlobNotFound() {
    Store store = Store.open(home);
    Digest missing = Digest.sha256("not there");
    BlobNotFoundException e = assertThrows(BlobNotFoundException.class, () -> store.blobs().open(missing));
    assertEquals(missing, e.digest());
    assertThrows(BlobNotFoundException.class, () -> store.blobs().readAll(missing));
    assertThrows(BlobNotFoundException.class, () -> store.blobs().size(missing));
  }

  @Test
  void newWriter_closedWithoutCommit_leavesNothing() throws IOException {
    Store store = Store.open(home);
    try (BlobWriter writer = store.blobs().newWriter()) {
      writer.write(randomBytes(500_000, 6));
      assertEquals(1, TestImages.tmpFiles(store).size());
    }
    assertEquals(List.of(), store.blobs().list());
    assertEquals(List.of(), TestImages.tmpFiles(store));
  }

  @Test
  void write_sameContentFromTwoThreadsAtOnce_bothSucceed() throws Exception {
    Store store = Store.open(home);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 30; round++) {
        byte[] content = randomBytes(64_000 + round, 100 + round);
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<BlobStore.Written>> results = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          results.add(pool.submit(() -> {
            start.await(10, TimeUnit.SECONDS);
            return store.blobs().write(content);
          }));
        }
        for (Future<BlobStore.Written> result : results) {
          assertEquals(Digest.sha256(content), result.get(30, TimeUnit.SECONDS).digest());
        }
        assertArrayEquals(content, store.blobs().readAll(Digest.sha256(content)));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(30, store.blobs().list().size());
    assertEquals(List.of(), TestImages.tmpFiles(store));
  }

  static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
