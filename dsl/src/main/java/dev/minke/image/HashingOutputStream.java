package dev.minke.image;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Passes bytes through while computing their sha256 and counting them. */
final class HashingOutputStream extends FilterOutputStream {
  private final MessageDigest sha256 = Digest.newSha256();
  private long sizeBytes;

  HashingOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    sha256.update((byte) b);
    sizeBytes++;
    out.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    // FilterOutputStream would write byte by byte; pass whole arrays through.
    sha256.update(b, off, len);
    sizeBytes += len;
    out.write(b, off, len);
  }

  /** The digest of everything written so far; call once, after the last write. */
  Digest digest() {
    return Digest.ofSha256(sha256.digest());
  }

  long sizeBytes() {
    return sizeBytes;
  }
}
