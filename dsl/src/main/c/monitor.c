/* minke-init: the monitor, i.e. minke-init itself.  It joins the cgroups,
   clones the container into its namespaces, writes the id maps, releases the
   container, then forwards signals and exits with the container's status.  */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "steps.h"

static const int forwarded_signals[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };

static void
monitor_signal_set (sigset_t *set)
{
  sigemptyset (set);
  sigaddset (set, SIGCHLD);
  for (size_t i = 0; i < sizeof forwarded_signals / sizeof forwarded_signals[0]; i++)
    sigaddset (set, forwarded_signals[i]);
}

static int
write_file (const char *path, const char *data, size_t len, struct init_error *err)
{
  cleanup_close int fd = open (path, O_WRONLY | O_CLOEXEC);
  ssize_t n;

  if (fd < 0)
    return make_error (err, errno, "open `%s`", path);
  n = write (fd, data, len);
  if (n < 0)
    return make_error (err, errno, "write `%.*s` to `%s`", (int)strcspn (data, "\n"), data, path);
  if ((size_t)n != len)
    return make_error (err, EIO, "short write to `%s`", path);
  return 0;
}

/* Join before clone, so the cgroup namespace root is the container's cgroup.  */
STEP (join_cgroups)
{
  char pid[32];
  (void)run;

  snprintf (pid, sizeof pid, "%d", (int)getpid ());
  for (size_t i = 0; i < spec->n_cgroups; i++)
    if (write_file (spec->cgroups[i], pid, strlen (pid), err) < 0)
      return -1;
  return 0;
}

/* Blocked from here on so none is lost; sigwaitinfo takes them later.  A write
   to a closed report pipe must not kill minke-init either.  */
STEP (block_signals)
{
  sigset_t set;
  (void)spec;

  monitor_signal_set (&set);
  if (sigprocmask (SIG_BLOCK, &set, &run->saved_mask) < 0)
    return make_error (err, errno, "sigprocmask");
  if (signal (SIGPIPE, SIG_IGN) == SIG_ERR)
    return make_error (err, errno, "signal SIGPIPE");
  return 0;
}

/* A raw clone without a new stack behaves like fork, and unlike unshare it
   puts the child itself into the new PID namespace.  minke-init is single
   threaded, which CLONE_NEWUSER requires.  */
STEP (clone_container)
{
  int fds[2];
  long pid;

  if (pipe2 (fds, O_CLOEXEC) < 0)
    return make_error (err, errno, "pipe2");
  pid = syscall (SYS_clone, (unsigned long)spec->ns_flags | SIGCHLD, NULL, NULL, NULL, NULL);
  if (pid < 0)
    {
      int saved_errno = errno;
      close (fds[0]);
      close (fds[1]);
      if (saved_errno == EPERM && geteuid () != 0 && !(spec->ns_flags & CLONE_NEWUSER))
        return make_error (err, saved_errno, "clone (flags %#x): not root, so ns=user is needed",
                           spec->ns_flags);
      return make_error (err, saved_errno, "clone (flags %#x)", spec->ns_flags);
    }
  run->in_container = pid == 0;
  run->child = (pid_t)pid;
  close (fds[pid == 0 ? 1 : 0]);
  run->sync_fd = fds[pid == 0 ? 0 : 1];
  return 0;
}

static const char *
find_id_helper (const char *name, char buf[64])
{
  static const char *const dirs[] = { "/usr/bin", "/bin", "/usr/sbin", "/sbin" };
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
    {
      snprintf (buf, 64, "%s/%s", dirs[i], name);
      if (access (buf, X_OK) == 0)
        return buf;
    }
  return NULL;
}

/* newuidmap PID C H N [C H N...]: the setuid helper that may map the ranges
   /etc/subuid grants an unprivileged user.  */
static int
run_id_helper (const char *helper, pid_t pid, const struct id_map *maps, size_t n,
               struct init_error *err)
{
  char args[64][24];
  char *argv[68];
  size_t argc = 0;
  int status;
  pid_t child;

  if (n > 20)
    return make_error (err, E2BIG, "%s: more than 20 ranges", helper);
  argv[argc++] = (char *)helper;
  snprintf (args[0], sizeof args[0], "%d", (int)pid);
  argv[argc++] = args[0];
  for (size_t i = 0; i < n; i++)
    {
      snprintf (args[1 + 3 * i], 24, "%lu", maps[i].inner);
      snprintf (args[2 + 3 * i], 24, "%lu", maps[i].outer);
      snprintf (args[3 + 3 * i], 24, "%lu", maps[i].count);
      for (size_t k = 1; k <= 3; k++)
        argv[argc++] = args[k + 3 * i];
    }
  argv[argc] = NULL;
  child = fork ();
  if (child < 0)
    return make_error (err, errno, "fork for `%s`", helper);
  if (child == 0)
    {
      execv (helper, argv);
      _exit (127);
    }
  if (waitpid (child, &status, 0) < 0)
    return make_error (err, errno, "waitpid `%s`", helper);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return make_error (err, EPERM, "`%s` failed (status %#x); check /etc/sub%cid", helper, status,
                       strstr (helper, "gid") ? 'g' : 'u');
  return 0;
}

static bool
needs_id_helper (const struct id_map *maps, size_t n, unsigned long own_id)
{
  if (geteuid () == 0)
    return false;
  return n > 1 || maps[0].count != 1 || maps[0].outer != own_id;
}

static int
write_id_map (pid_t pid, const char *kind, const struct id_map *maps, size_t n,
              unsigned long own_id, struct init_error *err)
{
  char helper_name[16], helper_buf[64], path[64], data[4096];
  const char *helper;
  size_t used = 0;

  snprintf (helper_name, sizeof helper_name, "new%smap", kind);
  if (needs_id_helper (maps, n, own_id)
      && (helper = find_id_helper (helper_name, helper_buf)) != NULL)
    return run_id_helper (helper, pid, maps, n, err);
  /* Unprivileged, a gid map is only accepted once setgroups is denied.  */
  snprintf (path, sizeof path, "/proc/%d/setgroups", (int)pid);
  if (strcmp (kind, "gid") == 0 && geteuid () != 0 && write_file (path, "deny", 4, err) < 0)
    return -1;
  for (size_t i = 0; i < n && used < sizeof data; i++)
    used += (size_t)snprintf (data + used, sizeof data - used, "%lu %lu %lu\n", maps[i].inner,
                              maps[i].outer, maps[i].count);
  if (used >= sizeof data)
    return make_error (err, E2BIG, "%s_map over one page", kind);
  snprintf (path, sizeof path, "/proc/%d/%s_map", (int)pid, kind);
  return write_file (path, data, used, err);
}

STEP (write_uid_map)
{
  if (!(spec->ns_flags & CLONE_NEWUSER))
    return 0;
  return write_id_map (run->child, "uid", spec->uidmap, spec->n_uidmap, geteuid (), err);
}

STEP (write_gid_map)
{
  if (!(spec->ns_flags & CLONE_NEWUSER))
    return 0;
  return write_id_map (run->child, "gid", spec->gidmap, spec->n_gidmap, getegid (), err);
}

/* Tell the container its host pid, which also means "the maps are written".
   The monitor has nothing more to report: closing its copy of the report fd
   lets the reader see EOF once the container has exec'd or failed.  */
STEP (release_container)
{
  int pid = (int)run->child;
  (void)spec;

  if (write (run->sync_fd, &pid, sizeof pid) != (ssize_t)sizeof pid)
    return make_error (err, errno, "release the container");
  close (run->sync_fd);
  run->sync_fd = -1;
  close (REPORT_FD);
  return 0;
}

/* Container side: die with the monitor, then wait until it is released.  */
STEP (wait_for_monitor)
{
  int pid = 0;
  ssize_t n;
  (void)spec;

  if (prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
    return make_error (err, errno, "prctl PR_SET_PDEATHSIG");
  if (sigprocmask (SIG_SETMASK, &run->saved_mask, NULL) < 0)
    return make_error (err, errno, "sigprocmask");
  do
    n = read (run->sync_fd, &pid, sizeof pid);
  while (n < 0 && errno == EINTR);
  close (run->sync_fd);
  run->sync_fd = -1;
  if (n != (ssize_t)sizeof pid)
    return make_error (err, n < 0 ? errno : EPIPE,
                       "the monitor ended before releasing the container");
  run->host_pid = pid;
  return 0;
}

/* Forward signals until the container ends; return its Docker exit code.  */
int
wait_container (const struct init_run *run, struct init_error *err)
{
  sigset_t set;
  int status;

  monitor_signal_set (&set);
  for (;;)
    {
      int sig = sigwaitinfo (&set, NULL);
      if (sig < 0 && errno == EINTR)
        continue;
      if (sig < 0)
        return make_error (err, errno, "sigwaitinfo");
      if (sig != SIGCHLD)
        {
          kill (run->child, sig);
          continue;
        }
      if (waitpid (run->child, &status, WNOHANG) == run->child)
        return WIFSIGNALED (status) ? 128 + WTERMSIG (status) : WEXITSTATUS (status);
    }
}
