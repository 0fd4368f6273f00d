package dev.minke.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/** Where the bytes of a regular-file layer entry come from: a host file or an in-memory array. */
public sealed interface EntryContent {
  /** Opens the content for one sequential read; the caller closes it. */
  InputStream open() throws IOException;

  /** No bytes: the content of directories, links, devices and whiteouts. */
  static EntryContent empty() {
    return FromBytes.EMPTY;
  }

  static EntryContent of(byte[] bytes) {
    return new FromBytes(bytes);
  }

  static EntryContent of(Path file) {
    return new FromPath(file);
  }

  /** Content streamed from a host file when the layer is written, never loaded whole. */
  record FromPath(Path file) implements EntryContent {
    public FromPath {
      Objects.requireNonNull(file, "file");
    }

    @Override
    public InputStream open() throws IOException {
      return Files.newInputStream(file);
    }
  }

  /** Content held in memory; the array is copied so the entry stays immutable. */
  record FromBytes(byte[] bytes) implements EntryContent {
    static final FromBytes EMPTY = new FromBytes(new byte[0]);

    public FromBytes {
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    int length() {
      return bytes.length;
    }

    @Override
    public InputStream open() {
      return new ByteArrayInputStream(bytes);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof FromBytes that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "FromBytes[" + bytes.length + " bytes]";
    }
  }
}
