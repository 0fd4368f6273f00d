package dev.minke.store;

import dev.minke.image.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** Hashes what passes through and throws {@link CorruptBlobException} at the end on mismatch. */
final class VerifyingInputStream extends FilterInputStream {
  private final Digest expected;
  private final String where;
  private final MessageDigest hasher;
  private boolean verified;

  VerifyingInputStream(InputStream in, Digest expected, String where) {
    super(in);
    this.expected = expected;
    this.where = where;
    this.hasher = expected.newHasher();
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b < 0) {
      verify();
    } else {
      hasher.update((byte) b);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int off, int len) throws IOException {
    int n = super.read(buffer, off, len);
    if (n < 0) {
      verify();
    } else {
      hasher.update(buffer, off, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes must still be hashed, or verification would be meaningless.
    byte[] buffer = new byte[8192];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void verify() {
    if (verified) {
      return;
    }
    verified = true;
    Digest actual = new Digest(expected.algorithm(), java.util.HexFormat.of().formatHex(hasher.digest()));
    if (!actual.equals(expected)) {
      throw new CorruptBlobException(expected, actual, where);
    }
  }
}
