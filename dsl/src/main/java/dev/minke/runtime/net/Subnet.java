package dev.minke.runtime.net;

/** An IPv4 network in CIDR form ({@code 10.213.0.0/24}): the base address and the prefix length. */
public record Subnet(int base, int prefix) {
  public Subnet {
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("a prefix length goes from 0 to 32, not " + prefix);
    }
    base &= mask(prefix);
  }

  /** Parses {@code a.b.c.d/n}; the host bits are cleared. */
  public static Subnet parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("a subnet looks like 10.213.5.0/24, not \"" + cidr + "\"");
    }
    try {
      return new Subnet(address(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a subnet looks like 10.213.5.0/24, not \"" + cidr + "\"");
    }
  }

  /** A dotted IPv4 address as an int. */
  static int address(String dotted) {
    String[] parts = dotted.split("\\.");
    if (parts.length != 4) {
      throw new NumberFormatException(dotted);
    }
    int value = 0;
    for (String part : parts) {
      int octet = Integer.parseInt(part);
      if (octet < 0 || octet > 255) {
        throw new NumberFormatException(dotted);
      }
      value = value << 8 | octet;
    }
    return value;
  }

  static String dotted(int address) {
    return (address >>> 24) + "." + (address >>> 16 & 255) + "." + (address >>> 8 & 255) + "." + (address & 255);
  }

  private static int mask(int prefix) {
    return prefix == 0 ? 0 : (int) (0xffffffffL << (32 - prefix));
  }

  /** Whether the two networks share any address. */
  public boolean overlaps(Subnet other) {
    int m = mask(Math.min(prefix, other.prefix));
    return (base & m) == (other.base & m);
  }

  public boolean contains(String dottedAddress) {
    return (address(dottedAddress) & mask(prefix)) == base;
  }

  /** The first host address: the bridge's, the containers' gateway. */
  public String gateway() {
    return dotted(base + 1);
  }

  @Override
  public String toString() {
    return dotted(base) + "/" + prefix;
  }
}
