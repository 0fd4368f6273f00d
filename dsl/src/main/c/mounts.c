/* minke-init: the container's root filesystem, in runc's order
   (libcontainer/rootfs_linux.go): propagation, rootfs, proc, dev, sys, extra
   mounts, pivot_root, then masked and read-only paths.  Until pivot_root every
   destination is opened inside the rootfs (paths.c) and mounted through
   /proc/self/fd/N.  */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "steps.h"

static int
open_root (const struct init_spec *spec, struct init_error *err)
{
  int fd = open (spec->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return make_error (err, errno, "open rootfs `%s`", spec->root);
  return fd;
}

/* Mount TYPE from SOURCE on DEST (a directory inside the rootfs, created if missing).
   SOURCE is what mountinfo shows, Docker's and runc's names ("shm" for /dev/shm).  */
static int
mount_in_root (const struct init_spec *spec, const char *dest, const char *source, const char *type,
               unsigned long flags, const char *data, struct init_error *err)
{
  cleanup_close int rootfd = open_root (spec, err);
  cleanup_close int destfd = -1;
  char path[32];

  if (rootfd < 0)
    return -1;
  destfd = ensure_dir_in_root (rootfd, dest);
  if (destfd < 0)
    return make_error (err, errno, "open mount destination `%s`", dest);
  fd_path (destfd, path);
  if (mount (source, path, type, flags, data) < 0)
    return make_error (err, errno, "mount %s on `%s`%s%s%s", type, dest, data ? " (" : "",
                       data ? data : "", data ? ")" : "");
  return 0;
}

/* Remount the mount at PATH read-only, keeping the flags a user namespace
   locks (nosuid, nodev, noexec, atime): dropping them would fail with EPERM.  */
static int
remount_readonly (const char *path, const char *what, struct init_error *err)
{
  static const struct
  {
    unsigned long st, ms;
  } locked[] = {
    { ST_NOSUID, MS_NOSUID },   { ST_NODEV, MS_NODEV },           { ST_NOEXEC, MS_NOEXEC },
    { ST_NOATIME, MS_NOATIME }, { ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
  };
  unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY;
  struct statvfs sv;

  if (statvfs (path, &sv) < 0)
    return make_error (err, errno, "statvfs `%s`", what);
  for (size_t i = 0; i < sizeof locked / sizeof locked[0]; i++)
    if (sv.f_flag & locked[i].st)
      flags |= locked[i].ms;
  if (mount (NULL, path, NULL, flags, NULL) < 0)
    return make_error (err, errno, "remount `%s` read-only", what);
  return 0;
}

/* Read-only for the mount at FD and every mount below it (the host's /sys
   carries cgroup mounts).  Without mount_setattr, only the top one.  */
static int
make_tree_readonly (int fd, const char *what, struct init_error *err)
{
  struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
  char path[32];

  if (mount_setattr (fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) == 0)
    return 0;
  if (errno != ENOSYS)
    return make_error (err, errno, "mount_setattr `%s` read-only, recursively", what);
  fd_path (fd, path);
  return remount_readonly (path, what, err);
}

STEP (make_root_slave)
{
  (void)spec;
  (void)run;
  if (mount (NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
    return make_error (err, errno, "make `/` MS_SLAVE|MS_REC");
  return 0;
}

static int
mount_overlay (const struct init_spec *spec, struct init_error *err)
{
  char data[4096];
  size_t used = 0;

  used += (size_t)snprintf (data, sizeof data, "lowerdir=");
  for (size_t i = 0; i < spec->n_overlay_lower && used < sizeof data; i++)
    used += (size_t)snprintf (data + used, sizeof data - used, "%s%s", i ? ":" : "",
                              spec->overlay_lower[i]);
  if (spec->overlay_upper && used < sizeof data)
    used += (size_t)snprintf (data + used, sizeof data - used, ",upperdir=%s,workdir=%s",
                              spec->overlay_upper, spec->overlay_work);
  /* In a user namespace trusted.* xattrs are out of reach: without userxattr
     overlay degrades and opaque directories fail later with EIO.  */
  if (in_user_namespace () && used < sizeof data)
    used += (size_t)snprintf (data + used, sizeof data - used, ",userxattr");
  if (used >= sizeof data)
    return make_error (err, E2BIG, "overlay options over one page");
  /* Lower paths may be relative to overlay.dir (Docker overlay2's short-name
     trick for the one-page limit of mount data).  */
  if (spec->overlay_dir && chdir (spec->overlay_dir) < 0)
    return make_error (err, errno, "chdir `%s`", spec->overlay_dir);
  if (mount ("overlay", spec->overlay_target, "overlay", 0, data) < 0)
    return make_error (err, errno, "mount overlay on `%s` (%s)", spec->overlay_target, data);
  if (chdir ("/") < 0)
    return make_error (err, errno, "chdir `/`");
  return 0;
}

/* pivot_root needs the new root to be a mount point.  */
STEP (mount_rootfs)
{
  (void)run;
  if (spec->rootfs == NULL)
    return mount_overlay (spec, err);
  if (mount (spec->root, spec->root, NULL, MS_BIND | MS_REC, NULL) < 0)
    return make_error (err, errno, "bind `%s` onto itself", spec->root);
  return 0;
}

/* Before pivot_root: in a user namespace proc may only be mounted while a
   fully visible proc is still in the mount namespace.  */
STEP (mount_proc)
{
  (void)run;
  return mount_in_root (spec, "/proc", "proc", "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL, err);
}

STEP (mount_dev)
{
  (void)run;
  return mount_in_root (spec, "/dev", "tmpfs", "tmpfs", MS_NOSUID | MS_STRICTATIME,
                        "mode=755,size=65536k", err);
}

STEP (mount_devpts)
{
  (void)run;
  /* gid=5 (tty) only exists outside a user namespace with a single mapping.  */
  return mount_in_root (spec, "/dev/pts", "devpts", "devpts", MS_NOSUID | MS_NOEXEC,
                        in_user_namespace () ? "newinstance,ptmxmode=0666,mode=0620"
                                             : "newinstance,ptmxmode=0666,mode=0620,gid=5",
                        err);
}

STEP (mount_dev_shm)
{
  (void)run;
  return mount_in_root (spec, "/dev/shm", "shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                        "mode=1777,size=65536k", err);
}

STEP (mount_mqueue)
{
  (void)run;
  if (mount_in_root (spec, "/dev/mqueue", "mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                     NULL, err)
      == 0)
    return 0;
  /* A user namespace may only mount mqueue for an IPC namespace it owns.  */
  if (err->errnum != EPERM || !in_user_namespace ())
    return -1;
  report_line ("warning /dev/mqueue not mounted: %s", err->msg);
  return 0;
}

/* sysfs needs a network namespace owned by our user namespace; otherwise
   bind the host's /sys read-only, as runc does.  */
static int
bind_host_sys (const struct init_spec *spec, struct init_error *err)
{
  cleanup_close int rootfd = open_root (spec, err);
  cleanup_close int destfd = -1;
  char path[32];

  if (rootfd < 0)
    return -1;
  destfd = ensure_dir_in_root (rootfd, "/sys");
  if (destfd < 0)
    return make_error (err, errno, "open mount destination `/sys`");
  fd_path (destfd, path);
  if (mount ("/sys", path, NULL, MS_BIND | MS_REC, NULL) < 0)
    return make_error (err, errno, "bind host `/sys`");
  close (steal_fd (&destfd));
  destfd = open_in_root (rootfd, "/sys", O_PATH | O_DIRECTORY | O_NOFOLLOW);
  if (destfd < 0)
    return make_error (err, errno, "reopen `/sys`");
  return make_tree_readonly (destfd, "/sys", err);
}

STEP (mount_sys)
{
  (void)run;
  if (mount_in_root (spec, "/sys", "sysfs", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                     NULL, err)
      == 0)
    return 0;
  if (err->errnum != EPERM || !in_user_namespace ())
    return -1;
  err->status = 0;
  return bind_host_sys (spec, err);
}

STEP (pivot_to_rootfs)
{
  cleanup_close int oldroot = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  cleanup_close int newroot = open_root (spec, err);
  (void)run;

  if (oldroot < 0)
    return make_error (err, errno, "open `/`");
  if (newroot < 0)
    return -1;
  /* pivot_root(".", ".") stacks the old root on the new one: no put_old
     directory is needed inside the image.  */
  if (fchdir (newroot) < 0)
    return make_error (err, errno, "fchdir `%s`", spec->root);
  if (syscall (SYS_pivot_root, ".", ".") < 0)
    return make_error (err, errno, "pivot_root `%s`", spec->root);
  if (fchdir (oldroot) < 0)
    return make_error (err, errno, "fchdir old root");
  /* Slave, not private: the detach must not propagate to the host.  */
  if (mount (NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
    return make_error (err, errno, "make old root MS_SLAVE|MS_REC");
  if (umount2 (".", MNT_DETACH) < 0)
    return make_error (err, errno, "umount2 old root");
  if (chdir ("/") < 0)
    return make_error (err, errno, "chdir `/`");
  return 0;
}

/* A path under /proc or /sys must still be on procfs or sysfs: an image
   could put a tmpfs or a symlink there (CVE-2019-19921, CVE-2023-27561).  */
static int
check_kernel_fs (int fd, const char *path, struct init_error *err)
{
  struct statfs sf;
  long want = 0;

  if (strncmp (path, "/proc/", 6) == 0)
    want = PROC_SUPER_MAGIC;
  else if (strncmp (path, "/sys/", 5) == 0)
    want = SYSFS_MAGIC;
  if (want == 0)
    return 0;
  if (fstatfs (fd, &sf) < 0)
    return make_error (err, errno, "fstatfs `%s`", path);
  if ((long)sf.f_type != want)
    return make_error (err, EXDEV, "`%s` is not on %s (f_type %#lx)", path,
                       want == PROC_SUPER_MAGIC ? "procfs" : "sysfs", (unsigned long)sf.f_type);
  return 0;
}

/* Open a masked or read-only path; 0 with *FD = -1 when it does not exist.  */
static int
open_kernel_path (int rootfd, const char *path, int *fd, struct init_error *err)
{
  struct stat st;

  *fd = open_in_root (rootfd, path, O_PATH | O_NOFOLLOW);
  if (*fd < 0)
    return errno == ENOENT ? 0 : make_error (err, errno, "open `%s`", path);
  if (fstat (*fd, &st) < 0)
    return make_error (err, errno, "fstat `%s`", path);
  if (S_ISLNK (st.st_mode))
    return make_error (err, ELOOP, "`%s` is a symlink", path);
  return check_kernel_fs (*fd, path, err);
}

/* The mask source is an fd checked to be the null device (CVE-2025-31133).  */
static int
open_dev_null (struct init_error *err)
{
  struct stat st;
  int fd = open ("/dev/null", O_PATH | O_CLOEXEC);

  if (fd < 0)
    return make_error (err, errno, "open `/dev/null`");
  if (fstat (fd, &st) < 0 || !S_ISCHR (st.st_mode) || st.st_rdev != makedev (1, 3))
    {
      close (fd);
      return make_error (err, EXDEV, "`/dev/null` is not the null device");
    }
  return fd;
}

static int
mask_one (int rootfd, int nullfd, const char *path, struct init_error *err)
{
  cleanup_close int fd = -1;
  char target[32], source[32];
  struct stat st;

  if (open_kernel_path (rootfd, path, &fd, err) < 0)
    return -1;
  if (fd < 0)
    return 0;
  fd_path (fd, target);
  if (fstat (fd, &st) == 0 && S_ISDIR (st.st_mode))
    {
      if (mount ("tmpfs", target, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0")
          < 0)
        return make_error (err, errno, "mask `%s` with a read-only tmpfs", path);
      return 0;
    }
  fd_path (nullfd, source);
  if (mount (source, target, NULL, MS_BIND, NULL) < 0)
    return make_error (err, errno, "mask `%s` with /dev/null", path);
  return 0;
}

STEP (mask_paths)
{
  cleanup_close int rootfd = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  cleanup_close int nullfd = -1;
  (void)run;

  if (spec->n_masks == 0)
    return 0;
  if (rootfd < 0)
    return make_error (err, errno, "open `/`");
  if ((nullfd = open_dev_null (err)) < 0)
    return -1;
  for (size_t i = 0; i < spec->n_masks; i++)
    if (mask_one (rootfd, nullfd, spec->masks[i], err) < 0)
      return -1;
  return 0;
}

static int
readonly_one (int rootfd, const char *path, struct init_error *err)
{
  cleanup_close int fd = -1;
  cleanup_close int top = -1;
  char target[32];

  if (open_kernel_path (rootfd, path, &fd, err) < 0)
    return -1;
  if (fd < 0)
    return 0;
  fd_path (fd, target);
  if (mount (target, target, NULL, MS_BIND | MS_REC, NULL) < 0)
    return make_error (err, errno, "bind `%s` onto itself", path);
  /* Reopen: the old fd is below the new bind mount, remount needs its root.  */
  top = open_in_root (rootfd, path, O_PATH | O_NOFOLLOW);
  if (top < 0)
    return make_error (err, errno, "reopen `%s`", path);
  fd_path (top, target);
  return remount_readonly (target, path, err);
}

STEP (set_readonly_paths)
{
  cleanup_close int rootfd = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  (void)run;

  if (rootfd < 0)
    return make_error (err, errno, "open `/`");
  for (size_t i = 0; i < spec->n_readonly_paths; i++)
    if (readonly_one (rootfd, spec->readonly_paths[i], err) < 0)
      return -1;
  return 0;
}

STEP (set_readonly_root)
{
  (void)run;
  if (!spec->readonly)
    return 0;
  return remount_readonly ("/", "/", err);
}
