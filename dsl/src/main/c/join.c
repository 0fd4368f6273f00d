/* minke-init exec mode (join=PID): instead of creating a container, enter the
   one whose PID 1 has host pid PID.  The monitor opens the target's
   namespaces and root through one /proc/PID directory fd (so a recycled pid
   fails instead of pointing elsewhere), joins its cgroups, enters the
   namespaces and forks, since a PID namespace only applies to children.  The
   child takes the root of the target and goes on like a container process.  */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <sys/stat.h>

#include "steps.h"

/* The user namespace first: it grants the capabilities to enter the rest.  */
static const struct
{
  const char *name; /* as in /proc/PID/ns/ */
  int flag;
} target_namespaces[JOIN_NAMESPACES] = {
  { "user", CLONE_NEWUSER },     { "mnt", CLONE_NEWNS },  { "pid", CLONE_NEWPID },
  { "uts", CLONE_NEWUTS },       { "ipc", CLONE_NEWIPC }, { "net", CLONE_NEWNET },
  { "cgroup", CLONE_NEWCGROUP },
};

static bool
same_file (int fd, const char *path)
{
  struct stat a, b;
  return fstat (fd, &a) == 0 && stat (path, &b) == 0 && a.st_dev == b.st_dev
         && a.st_ino == b.st_ino;
}

/* Opens one namespace of the target; leaves -1 when it is ours already
   (setns into one's own user namespace fails, and the rest would be no-ops).  */
static int
open_target_ns (int procfd, pid_t pid, size_t i, int *out, struct init_error *err)
{
  char rel[32], own[32];
  cleanup_close int fd = -1;

  snprintf (rel, sizeof rel, "ns/%s", target_namespaces[i].name);
  snprintf (own, sizeof own, "/proc/self/ns/%s", target_namespaces[i].name);
  fd = openat (procfd, rel, O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) /* a zombie has no namespaces */
    return make_error (err, ESRCH, "open `/proc/%d/%s`: the container's PID 1 has exited", (int)pid,
                       rel);
  if (fd < 0)
    return make_error (err, errno, "open `/proc/%d/%s`", (int)pid, rel);
  *out = same_file (fd, own) ? -1 : steal_fd (&fd);
  return 0;
}

STEP (open_target)
{
  cleanup_close int procfd = -1;
  char path[32];

  for (size_t i = 0; i < JOIN_NAMESPACES; i++)
    run->target_ns_fds[i] = -1;
  snprintf (path, sizeof path, "/proc/%d", (int)spec->join);
  procfd = open (path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (procfd < 0 && errno == ENOENT)
    return make_error (err, ESRCH, "open `%s`: the container's PID 1 is gone", path);
  if (procfd < 0)
    return make_error (err, errno, "open `%s`", path);
  for (size_t i = 0; i < JOIN_NAMESPACES; i++)
    if (open_target_ns (procfd, spec->join, i, &run->target_ns_fds[i], err) < 0)
      return -1;
  run->target_root_fd = openat (procfd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (run->target_root_fd < 0)
    return make_error (err, errno, "open `%s/root`", path);
  return 0;
}

STEP (enter_namespaces)
{
  for (size_t i = 0; i < JOIN_NAMESPACES; i++)
    {
      int fd = run->target_ns_fds[i];
      if (fd < 0)
        continue;
      run->target_ns_fds[i] = -1;
      if (setns (fd, target_namespaces[i].flag) < 0)
        {
          int saved_errno = errno;
          close (fd);
          return make_error (err, saved_errno, "setns `/proc/%d/ns/%s`", (int)spec->join,
                             target_namespaces[i].name);
        }
      close (fd);
    }
  return 0;
}

/* A plain fork (no ns= keys in exec mode), into the joined PID namespace.  */
STEP (fork_into_target)
{
  if (clone_container (spec, run, err) < 0)
    {
      if (err->errnum == ENOMEM) /* the namespace's init has exited */
        return make_error (err, ENOMEM, "fork into the PID namespace of %d: its PID 1 has ended",
                           (int)spec->join);
      return -1;
    }
  if (!run->in_container)
    {
      close (run->target_root_fd); /* only the child enters it */
      run->target_root_fd = -1;
    }
  return 0;
}

/* setns left the root at the namespace's; take the target's own root, as
   runc does for exec.  The fd goes before anything of the command runs.  */
STEP (enter_target_root)
{
  int fd = run->target_root_fd;
  (void)spec;

  run->target_root_fd = -1;
  if (fchdir (fd) < 0)
    {
      int saved_errno = errno;
      close (fd);
      return make_error (err, saved_errno, "fchdir to the root of pid %d", (int)spec->join);
    }
  close (fd);
  if (chroot (".") < 0)
    return make_error (err, errno, "chroot to the root of pid %d", (int)spec->join);
  if (chdir ("/") < 0)
    return make_error (err, errno, "chdir `/` in the container");
  return 0;
}
