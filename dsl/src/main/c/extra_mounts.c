/* minke-init: the spec's extra mounts (mount=DEST|TYPE|SOURCE|OPTIONS): binds,
   tmpfs and the like.  Destinations are resolved inside the rootfs and created
   when missing (a directory, or an empty file for a file bind).  */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "steps.h"

static int
open_bind_source (const struct mount_entry *m, bool *is_dir, struct init_error *err)
{
  struct stat st;
  int fd = open (m->source, O_PATH | O_CLOEXEC);

  if (fd < 0)
    return make_error (err, errno, "open bind source `%s`", m->source);
  if (fstat (fd, &st) < 0)
    {
      int saved_errno = errno;
      close (fd);
      return make_error (err, saved_errno, "fstat bind source `%s`", m->source);
    }
  *is_dir = S_ISDIR (st.st_mode);
  return fd;
}

/* A bind ignores every flag but MS_REC: ro, nosuid... need a remount, which
   must keep the flags the source mount already has locked.  */
static int
remount_bind (int rootfd, const struct mount_entry *m, struct init_error *err)
{
  cleanup_close int fd = open_in_root (rootfd, m->dest, O_PATH | O_NOFOLLOW);
  unsigned long flags = (m->flags & ~(MS_BIND | MS_REC)) | MS_BIND | MS_REMOUNT;
  struct statvfs sv;
  char path[32];

  if (fd < 0)
    return make_error (err, errno, "reopen `%s`", m->dest);
  fd_path (fd, path);
  if (statvfs (path, &sv) < 0)
    return make_error (err, errno, "statvfs `%s`", m->dest);
  flags |= sv.f_flag & (ST_NOSUID | ST_NODEV | ST_NOEXEC);
  if (mount (NULL, path, NULL, flags, NULL) < 0)
    return make_error (err, errno, "remount bind `%s`", m->dest);
  return 0;
}

static int
mount_bind (int rootfd, const struct mount_entry *m, struct init_error *err)
{
  cleanup_close int src = -1;
  cleanup_close int dst = -1;
  char srcpath[32], dstpath[32];
  bool is_dir = false;

  if ((src = open_bind_source (m, &is_dir, err)) < 0)
    return -1;
  dst = is_dir ? ensure_dir_in_root (rootfd, m->dest) : ensure_file_in_root (rootfd, m->dest);
  if (dst < 0)
    return make_error (err, errno, "open mount destination `%s`", m->dest);
  fd_path (src, srcpath);
  fd_path (dst, dstpath);
  if (mount (srcpath, dstpath, NULL, MS_BIND | (m->flags & MS_REC), NULL) < 0)
    return make_error (err, errno, "bind `%s` on `%s`", m->source, m->dest);
  if ((m->flags & ~(MS_BIND | MS_REC)) == 0)
    return 0;
  return remount_bind (rootfd, m, err);
}

static int
mount_fs (int rootfd, const struct mount_entry *m, struct init_error *err)
{
  cleanup_close int dst = ensure_dir_in_root (rootfd, m->dest);
  char path[32];

  if (dst < 0)
    return make_error (err, errno, "open mount destination `%s`", m->dest);
  fd_path (dst, path);
  if (mount (m->source[0] ? m->source : m->type, path, m->type, m->flags,
             m->data[0] ? m->data : NULL)
      < 0)
    return make_error (err, errno, "mount %s on `%s` (%s)", m->type, m->dest, m->data);
  return 0;
}

static int
set_propagation (int rootfd, const struct mount_entry *m, struct init_error *err)
{
  cleanup_close int fd = open_in_root (rootfd, m->dest, O_PATH | O_NOFOLLOW);
  char path[32];

  if (fd < 0)
    return make_error (err, errno, "reopen `%s`", m->dest);
  fd_path (fd, path);
  if (mount (NULL, path, NULL, m->propagation, NULL) < 0)
    return make_error (err, errno, "set propagation of `%s`", m->dest);
  return 0;
}

STEP (mount_extra)
{
  cleanup_close int rootfd = open (spec->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  (void)run;

  if (rootfd < 0)
    return make_error (err, errno, "open rootfs `%s`", spec->root);
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      const struct mount_entry *m = &spec->mounts[i];
      int ret = m->bind ? mount_bind (rootfd, m, err) : mount_fs (rootfd, m, err);
      if (ret == 0 && m->propagation)
        ret = set_propagation (rootfd, m, err);
      if (ret < 0)
        return -1;
    }
  return 0;
}
