package dev.minke.build;

/**
 * Turns a {@code --chown} value ({@code user}, {@code user:group}, names or numbers) into numeric
 * IDs, looking names up in the image's {@code /etc/passwd} and {@code /etc/group} as Docker does.
 * A user without a group gets the same number as its group when numeric, else its primary group.
 */
record Ownership(long uid, long gid) {

  static Ownership resolve(String spec, ImageFilesystem fs, String step) {
    int colon = spec.indexOf(':');
    String user = colon < 0 ? spec : spec.substring(0, colon);
    String group = colon < 0 ? null : spec.substring(colon + 1);
    long uid;
    long primaryGid;
    if (isNumber(user)) {
      uid = Long.parseLong(user);
      primaryGid = uid;
    } else {
      String[] fields = lookup(fs.passwd(), user);
      if (fields == null || fields.length < 4) {
        throw new BuildInputException(step, "user \"" + user + "\" is not in the image's /etc/passwd",
            "use a numeric ID such as --chown=1000:1000, or create the user in an earlier step");
      }
      uid = Long.parseLong(fields[2]);
      primaryGid = Long.parseLong(fields[3]);
    }
    if (group == null) {
      return new Ownership(uid, primaryGid);
    }
    if (isNumber(group)) {
      return new Ownership(uid, Long.parseLong(group));
    }
    String[] fields = lookup(fs.group(), group);
    if (fields == null || fields.length < 3) {
      throw new BuildInputException(step, "group \"" + group + "\" is not in the image's /etc/group",
          "use a numeric ID such as --chown=1000:1000, or create the group in an earlier step");
    }
    return new Ownership(uid, Long.parseLong(fields[2]));
  }

  private static String[] lookup(String accountFile, String name) {
    for (String line : accountFile.split("\n")) {
      String[] fields = line.split(":", -1);
      if (fields.length > 2 && fields[0].equals(name) && isNumber(fields[2])) {
        return fields;
      }
    }
    return null;
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.length() < 11 && s.chars().allMatch(Character::isDigit);
  }
}
