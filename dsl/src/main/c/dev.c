/* minke-init: device nodes and symlinks in the container's /dev tmpfs.
   As real root the nodes are made with mknod; in a user namespace mknod is
   not allowed, so the host's nodes are bind-mounted onto empty files.  */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "steps.h"

static const struct
{
  const char *name;
  unsigned int major, minor;
} devices[] = {
  { "null", 1, 3 },   { "zero", 1, 5 },    { "full", 1, 7 },
  { "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};

static const struct
{
  const char *name, *target;
} dev_symlinks[] = {
  { "fd", "/proc/self/fd" },       { "stdin", "/proc/self/fd/0" }, { "stdout", "/proc/self/fd/1" },
  { "stderr", "/proc/self/fd/2" }, { "core", "/proc/kcore" },      { "ptmx", "pts/ptmx" },
};

static int
make_device (int devfd, const char *name, dev_t dev, struct init_error *err)
{
  if (mknodat (devfd, name, S_IFCHR | 0666, dev) < 0)
    return make_error (err, errno, "mknod `/dev/%s`", name);
  /* mknod honours the umask; the nodes must be 0666.  */
  if (fchmodat (devfd, name, 0666, 0) < 0)
    return make_error (err, errno, "chmod `/dev/%s`", name);
  return 0;
}

static int
bind_device (int devfd, const char *name, dev_t dev, struct init_error *err)
{
  cleanup_close int src = -1;
  cleanup_close int dst = -1;
  char host[64], srcpath[32], dstpath[32];
  struct stat st;
  int fd;

  snprintf (host, sizeof host, "/dev/%s", name);
  src = open (host, O_PATH | O_CLOEXEC);
  if (src < 0)
    return make_error (err, errno, "open host `%s`", host);
  if (fstat (src, &st) < 0 || !S_ISCHR (st.st_mode) || st.st_rdev != dev)
    return make_error (err, EXDEV, "host `%s` is not the expected device", host);
  fd = openat (devfd, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    return make_error (err, errno, "create `/dev/%s`", name);
  close (fd);
  dst = openat (devfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (dst < 0)
    return make_error (err, errno, "open `/dev/%s`", name);
  fd_path (src, srcpath);
  fd_path (dst, dstpath);
  if (mount (srcpath, dstpath, NULL, MS_BIND, NULL) < 0)
    return make_error (err, errno, "bind host `%s`", host);
  return 0;
}

static int
make_symlinks (int devfd, struct init_error *err)
{
  for (size_t i = 0; i < sizeof dev_symlinks / sizeof dev_symlinks[0]; i++)
    if (strcmp (dev_symlinks[i].name, "core") == 0 && access ("/proc/kcore", F_OK) < 0)
      continue; /* as runc: only when the kernel has a kcore */
    else if (symlinkat (dev_symlinks[i].target, devfd, dev_symlinks[i].name) < 0 && errno != EEXIST)
      return make_error (err, errno, "symlink `/dev/%s` -> `%s`", dev_symlinks[i].name,
                         dev_symlinks[i].target);
  return 0;
}

STEP (create_devices)
{
  cleanup_close int rootfd = open (spec->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  cleanup_close int devfd = -1;
  bool userns = in_user_namespace ();
  (void)run;

  if (rootfd < 0)
    return make_error (err, errno, "open rootfs `%s`", spec->root);
  devfd = open_in_root (rootfd, "/dev", O_PATH | O_DIRECTORY | O_NOFOLLOW);
  if (devfd < 0)
    return make_error (err, errno, "open `/dev`");
  for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++)
    {
      dev_t dev = makedev (devices[i].major, devices[i].minor);
      int ret = userns ? bind_device (devfd, devices[i].name, dev, err)
                       : make_device (devfd, devices[i].name, dev, err);
      if (ret < 0)
        return -1;
    }
  return make_symlinks (devfd, err);
}
