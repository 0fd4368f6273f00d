package dev.minke.image;

/** The kind of a layer entry, as its tar type flag says. */
public enum FileType {
  FILE('0'),
  HARDLINK('1'),
  SYMLINK('2'),
  CHAR_DEVICE('3'),
  BLOCK_DEVICE('4'),
  DIRECTORY('5'),
  FIFO('6'),
  /** A type flag Minke does not interpret (sparse, volume header, vendor extensions). */
  OTHER('\0');

  private final char tarTypeFlag;

  FileType(char tarTypeFlag) {
    this.tarTypeFlag = tarTypeFlag;
  }

  /** The POSIX tar type flag; {@code '\0'} for {@link #OTHER}, whose real flag is not kept. */
  public char tarTypeFlag() {
    return tarTypeFlag;
  }
}
