package dev.minke.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Reads an archive's entries into memory and writes them back, so tests can tamper with them. */
final class TarFiles {
  /** One entry: a name, and its bytes (null for a directory). */
  record TarFile(String name, byte[] content, TarArchiveEntry header) {
    TarFile withContent(byte[] newContent) {
      return new TarFile(name, newContent, header);
    }
  }

  private TarFiles() {}

  static List<TarFile> read(byte[] tar) {
    List<TarFile> files = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        files.add(new TarFile(entry.getName(), entry.isDirectory() ? null : in.readAllBytes(), entry));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  static byte[] write(List<TarFile> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ArchiveTarWriter tar = new ArchiveTarWriter(bytes)) {
      for (TarFile file : files) {
        if (file.content() == null) {
          tar.directory(file.name());
        } else {
          tar.file(file.name(), file.content());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
