/* minke-init: open paths inside the container root without leaving it
   (CVE-2021-30465).  openat2(RESOLVE_IN_ROOT) treats symlinks as if the root
   were "/"; without openat2 a walk refuses every symlink and "..".  Callers
   mount on /proc/self/fd/N of the returned O_PATH fd, never on a path string
   that could be swapped after the check.  */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "steps.h"

void
fd_path (int fd, char buf[32])
{
  snprintf (buf, 32, "/proc/self/fd/%d", fd);
}

bool
in_user_namespace (void)
{
  char map[64] = "";
  cleanup_close int fd = open ("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
  if (fd < 0 || read (fd, map, sizeof map - 1) < 0)
    return false;
  /* The initial namespace maps everything: "0 0 4294967295".  */
  return strstr (map, "4294967295") == NULL;
}

static int
walk_nofollow (int rootfd, const char *path, int flags)
{
  char copy[PATH_MAX], *save = NULL, *next;
  cleanup_close int dirfd = -1;
  int cur = rootfd;

  if (snprintf (copy, sizeof copy, "%s", path) >= (int)sizeof copy)
    return errno = ENAMETOOLONG, -1;
  next = strtok_r (copy, "/", &save);
  if (next == NULL)
    return openat (rootfd, ".", flags | O_CLOEXEC);
  for (char *comp = next; comp; comp = next)
    {
      int fd;
      next = strtok_r (NULL, "/", &save);
      if (strcmp (comp, "..") == 0)
        return errno = EXDEV, -1;
      if (next == NULL)
        return openat (cur, comp, flags | O_NOFOLLOW | O_CLOEXEC);
      fd = openat (cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0)
        return -1;
      if (dirfd >= 0)
        close (dirfd);
      cur = dirfd = fd;
    }
  return errno = EINVAL, -1;
}

/* Returns an fd, or -1 with errno set.  O_NOFOLLOW in FLAGS applies to the
   last component, as with open(2).  */
int
open_in_root (int rootfd, const char *path, int flags)
{
  struct open_how how = {
    .flags = (unsigned long long)(flags | O_CLOEXEC),
    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
  };
  int fd = (int)syscall (SYS_openat2, rootfd, path, &how, sizeof how);
  if (fd >= 0 || errno != ENOSYS)
    return fd;
  return walk_nofollow (rootfd, path, flags);
}

/* Split PATH into its parent directory and last component.  */
static int
split_path (const char *path, char parent[PATH_MAX], char base[NAME_MAX + 1])
{
  size_t len = strlen (path);
  char *slash;

  while (len > 1 && path[len - 1] == '/')
    len--;
  if (len >= PATH_MAX)
    return errno = ENAMETOOLONG, -1;
  memcpy (parent, path, len);
  parent[len] = '\0';
  slash = strrchr (parent, '/');
  if (slash == NULL || strcmp (slash + 1, "") == 0 || strcmp (slash + 1, ".") == 0
      || strcmp (slash + 1, "..") == 0)
    return errno = EINVAL, -1;
  if (strlen (slash + 1) > NAME_MAX)
    return errno = ENAMETOOLONG, -1;
  strcpy (base, slash + 1);
  if (slash == parent)
    parent[1] = '\0';
  else
    *slash = '\0';
  return 0;
}

/* Open PATH as a directory inside the root, creating missing components
   (mode 0755).  Symlinks in parent components are followed inside the root;
   the last component is followed only when FOLLOW.  */
static int
ensure_dir (int rootfd, const char *path, bool follow)
{
  char parent[PATH_MAX], base[NAME_MAX + 1];
  cleanup_close int parentfd = -1;
  int fd = open_in_root (rootfd, path, O_PATH | O_DIRECTORY | (follow ? 0 : O_NOFOLLOW));

  if (fd >= 0 || errno != ENOENT)
    return fd;
  if (split_path (path, parent, base) < 0)
    return -1;
  parentfd = ensure_dir (rootfd, parent, true);
  if (parentfd < 0)
    return -1;
  if (mkdirat (parentfd, base, 0755) < 0 && errno != EEXIST)
    return -1;
  /* A dangling symlink named BASE fails here with ENOTDIR: never followed.  */
  return openat (parentfd, base, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

int
ensure_dir_in_root (int rootfd, const char *path)
{
  return ensure_dir (rootfd, path, false);
}

/* Open PATH as a non-directory inside the root, creating an empty file.  */
int
ensure_file_in_root (int rootfd, const char *path)
{
  char parent[PATH_MAX], base[NAME_MAX + 1];
  cleanup_close int parentfd = -1;
  struct stat st;
  int fd;

  if (split_path (path, parent, base) < 0)
    return -1;
  parentfd = ensure_dir (rootfd, parent, true);
  if (parentfd < 0)
    return -1;
  fd = openat (parentfd, base, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0 && errno != EEXIST)
    return -1;
  if (fd >= 0)
    close (fd);
  fd = openat (parentfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0 && fstat (fd, &st) == 0 && (S_ISLNK (st.st_mode) || S_ISDIR (st.st_mode)))
    {
      close (fd);
      return errno = S_ISDIR (st.st_mode) ? EISDIR : ELOOP, -1;
    }
  return fd;
}
