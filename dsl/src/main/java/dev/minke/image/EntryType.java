package dev.minke.image;

/** The kind of filesystem object a layer entry describes, one per tar typeflag Minke writes. */
public enum EntryType {
  FILE('0'),
  HARDLINK('1'),
  SYMLINK('2'),
  CHAR_DEVICE('3'),
  BLOCK_DEVICE('4'),
  DIRECTORY('5'),
  FIFO('6');

  private final char typeflag;

  EntryType(char typeflag) {
    this.typeflag = typeflag;
  }

  /** The POSIX ustar typeflag byte for this kind. */
  byte typeflag() {
    return (byte) typeflag;
  }
}
