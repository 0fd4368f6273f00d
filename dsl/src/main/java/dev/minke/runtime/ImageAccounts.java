package dev.minke.runtime;

import dev.minke.error.MinkeException;
import java.util.ArrayList;
import java.util.List;

/**
 * The image's {@code /etc/passwd} and {@code /etc/group}, to turn a Docker user spec ({@code
 * app}, {@code 1000}, {@code app:staff}, {@code 1000:50}) into numeric IDs and supplementary
 * groups, as Docker does before it starts the process.
 */
public record ImageAccounts(String passwd, String group) {
  public ImageAccounts {
    passwd = passwd == null ? "" : passwd;
    group = group == null ? "" : group;
  }

  /** The process user for a spec; an empty spec is root. */
  public RuntimeSpec.User resolve(String spec) {
    String userPart = spec == null || spec.isEmpty() ? "0" : spec.split(":", 2)[0];
    String groupPart = spec != null && spec.contains(":") ? spec.split(":", 2)[1] : null;
    String[] passwdEntry = find(passwd, userPart);
    long uid;
    long gid;
    String name;
    if (passwdEntry != null && passwdEntry.length >= 4 && isNumber(passwdEntry[3])) {
      uid = Long.parseLong(passwdEntry[2]);
      gid = Long.parseLong(passwdEntry[3]);
      name = passwdEntry[0];
    } else if (isNumber(userPart)) {
      uid = Long.parseLong(userPart);
      gid = 0; // Docker: a numeric user unknown to the image runs with group 0.
      name = null;
    } else {
      throw new MinkeException("unable to find user \"" + userPart + "\": no matching entry in the image's /etc/passwd",
          "use a numeric uid[:gid] such as 1000:1000, or add the user to the image");
    }
    if (groupPart != null) {
      String[] groupEntry = find(group, groupPart);
      if (groupEntry != null) {
        gid = Long.parseLong(groupEntry[2]);
      } else if (isNumber(groupPart)) {
        gid = Long.parseLong(groupPart);
      } else {
        throw new MinkeException("unable to find group \"" + groupPart + "\": no matching entry in the image's /etc/group",
            "use a numeric gid such as 1000:1000, or add the group to the image");
      }
    }
    return new RuntimeSpec.User(uid, gid, name == null ? List.of() : supplementaryGroups(name, gid));
  }

  private List<Long> supplementaryGroups(String userName, long primaryGid) {
    List<Long> gids = new ArrayList<>();
    for (String line : group.split("\n")) {
      String[] fields = line.split(":", -1);
      if (fields.length >= 4 && isNumber(fields[2]) && List.of(fields[3].split(",")).contains(userName)) {
        long gid = Long.parseLong(fields[2]);
        if (gid != primaryGid && !gids.contains(gid)) {
          gids.add(gid);
        }
      }
    }
    return gids;
  }

  /** The entry whose name, or else whose numeric ID, equals {@code key}. */
  private static String[] find(String file, String key) {
    String[] byId = null;
    for (String line : file.split("\n")) {
      String[] fields = line.split(":", -1);
      if (fields.length < 3 || !isNumber(fields[2])) {
        continue;
      }
      if (fields[0].equals(key)) {
        return fields;
      }
      if (byId == null && fields[2].equals(key)) {
        byId = fields;
      }
    }
    return byId;
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.length() < 11 && s.chars().allMatch(Character::isDigit);
  }
}
