/* minke-init: the container process itself, after the filesystem is ready:
   hostname, rlimits, user, fds, cwd, exec.  */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "steps.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

STEP (set_hostname)
{
  (void)run;
  if (spec->hostname == NULL)
    return 0;
  if (sethostname (spec->hostname, strlen (spec->hostname)) < 0)
    return make_error (err, errno, "sethostname `%s`", spec->hostname);
  return 0;
}

/* Raising a hard limit needs CAP_SYS_RESOURCE, which some hosts never grant:
   clamp to the current hard limit and warn instead of failing.  */
static int
set_one_rlimit (const struct rlimit_entry *r, struct init_error *err)
{
  struct rlimit want = { r->soft, r->hard }, cur;

  if (setrlimit (r->resource, &want) == 0)
    return 0;
  if (errno != EPERM)
    return make_error (err, errno, "setrlimit `%s`", r->name);
  if (getrlimit (r->resource, &cur) < 0)
    return make_error (err, errno, "getrlimit `%s`", r->name);
  if (want.rlim_max <= cur.rlim_max)
    return make_error (err, EPERM, "setrlimit `%s`", r->name);
  want.rlim_max = cur.rlim_max;
  want.rlim_cur = want.rlim_cur < cur.rlim_max ? want.rlim_cur : cur.rlim_max;
  if (setrlimit (r->resource, &want) < 0)
    return make_error (err, errno, "setrlimit `%s` clamped", r->name);
  report_line ("warning rlimit %s: hard limit %llu not permitted (no "
               "CAP_SYS_RESOURCE); clamped to %llu:%llu",
               r->name, (unsigned long long)r->hard, (unsigned long long)want.rlim_cur,
               (unsigned long long)want.rlim_max);
  return 0;
}

STEP (set_rlimits)
{
  (void)run;
  for (size_t i = 0; i < spec->n_rlimits; i++)
    if (set_one_rlimit (&spec->rlimits[i], err) < 0)
      return -1;
  return 0;
}

static bool
setgroups_denied (void)
{
  char buf[16] = "";
  cleanup_close int fd = open ("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
  return fd >= 0 && read (fd, buf, sizeof buf - 1) > 0 && strncmp (buf, "deny", 4) == 0;
}

/* setgroups, setgid, setuid; capabilities survive setuid through KEEPCAPS and
   are set for good by set_caps afterwards (runc's order).  */
STEP (set_user)
{
  (void)run;
  if (spec->n_groups > 0 || !setgroups_denied ())
    if (setgroups (spec->n_groups, spec->groups) < 0)
      return make_error (err, errno, "setgroups (%zu groups)", spec->n_groups);
  if (setresgid (spec->gid, spec->gid, spec->gid) < 0)
    return make_error (err, errno, "setresgid `%u`", spec->gid);
  if (prctl (PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
    return make_error (err, errno, "prctl PR_SET_KEEPCAPS");
  if (setresuid (spec->uid, spec->uid, spec->uid) < 0)
    return make_error (err, errno, "setresuid `%u`", spec->uid);
  if (prctl (PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
    return make_error (err, errno, "prctl PR_SET_KEEPCAPS");
  /* Changing credentials clears the parent-death signal: set it again.  */
  if (prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
    return make_error (err, errno, "prctl PR_SET_PDEATHSIG");
  return 0;
}

/* Close every fd from FIRST up to and including LAST (close_range, or one by
   one where the kernel lacks it).  */
static int
close_fd_range (unsigned int first, unsigned int last, struct init_error *err)
{
  struct rlimit lim;

  if (first > last)
    return 0;
  if (syscall (SYS_close_range, first, last, 0U) == 0)
    return 0;
  if (errno != ENOSYS && errno != EPERM)
    return make_error (err, errno, "close_range %u-%u", first, last);
  if (getrlimit (RLIMIT_NOFILE, &lim) < 0)
    return make_error (err, errno, "getrlimit RLIMIT_NOFILE");
  for (rlim_t fd = first; fd <= last && fd < lim.rlim_cur && fd < INT_MAX; fd++)
    close ((int)fd);
  return 0;
}

/* Nothing of the host may reach the container (CVE-2024-21626): close every
   fd above stderr except the report fd and the start FIFO, both close-on-exec.  */
STEP (close_fds)
{
  unsigned int keep[2] = { REPORT_FD, ~0U }, next = 3;
  (void)spec;

  if (run->start_fifo_fd >= 0)
    keep[1] = (unsigned int)run->start_fifo_fd;
  if (keep[1] < keep[0])
    {
      keep[1] = keep[0];
      keep[0] = (unsigned int)run->start_fifo_fd;
    }
  for (size_t i = 0; i < 2 && keep[i] != ~0U; i++)
    {
      if (close_fd_range (next, keep[i] - 1U, err) < 0)
        return -1;
      next = keep[i] + 1U;
    }
  return close_fd_range (next, ~0U, err);
}

STEP (enter_cwd)
{
  char cwd[PATH_MAX];
  (void)run;

  if (chdir (spec->cwd) < 0)
    return make_error (err, errno, "chdir `%s`", spec->cwd);
  /* A cwd outside the root shows as "(unreachable)/..." or fails.  */
  if (getcwd (cwd, sizeof cwd) == NULL)
    return make_error (err, errno, "getcwd after chdir `%s`", spec->cwd);
  if (cwd[0] != '/')
    return make_error (err, EXDEV, "cwd `%s` is outside the container", cwd);
  return 0;
}

STEP (report_pid)
{
  (void)spec;
  (void)err;
  report_line ("pid %d", (int)run->host_pid);
  return 0;
}

static const char *
container_path (const struct init_spec *spec)
{
  for (size_t i = 0; i < spec->envc; i++)
    if (strncmp (spec->envp[i], "PATH=", 5) == 0)
      return spec->envp[i] + 5;
  return DEFAULT_PATH;
}

/* execvpe, but with the container's PATH and Docker's exit codes.  Returns
   the errno that explains the failure.  */
static int
exec_in_path (const struct init_spec *spec)
{
  const char *file = spec->argv[0], *path = container_path (spec);
  char *const *argv = (char *const *)spec->argv;
  char *const *envp = (char *const *)spec->envp;
  char candidate[PATH_MAX];
  int result = ENOENT;

  if (strchr (file, '/') != NULL)
    return execve (file, argv, envp), errno;
  for (const char *dir = path; dir; dir = strchr (dir, ':') ? strchr (dir, ':') + 1 : NULL)
    {
      int len = (int)strcspn (dir, ":");
      if (snprintf (candidate, sizeof candidate, "%.*s/%s", len ? len : 1, len ? dir : ".", file)
          >= (int)sizeof candidate)
        continue;
      execve (candidate, argv, envp);
      if (errno == EACCES)
        result = EACCES; /* keep looking, but remember (as execvp does) */
      else if (errno != ENOENT && errno != ENOTDIR && errno != ESTALE)
        return errno;
    }
  return result;
}

STEP (exec_command)
{
  int e;
  (void)run;

  signal (SIGPIPE, SIG_DFL);
  e = exec_in_path (spec);
  signal (SIGPIPE, SIG_IGN);
  err->status = (e == ENOENT || e == ENOTDIR) ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE;
  if (e == ENOENT && strchr (spec->argv[0], '/') == NULL)
    return make_error (err, e, "exec `%s`: executable file not found in $PATH", spec->argv[0]);
  return make_error (err, e, "exec `%s`", spec->argv[0]);
}

static int
forward_until_exit (pid_t child, const sigset_t *set, struct init_error *err)
{
  for (;;)
    {
      int status, sig = sigwaitinfo (set, NULL);
      if (sig < 0 && errno == EINTR)
        continue;
      if (sig < 0)
        return make_error (err, errno, "sigwaitinfo");
      if (sig != SIGCHLD)
        {
          kill (child, sig);
          continue;
        }
      /* As PID 1, reap every orphan; end when the command itself ends.  */
      for (pid_t pid; (pid = waitpid (-1, &status, WNOHANG)) > 0;)
        if (pid == child)
          return WIFSIGNALED (status) ? 128 + WTERMSIG (status) : WEXITSTATUS (status);
    }
}

/* init=1 (docker run --init): PID 1 stays a small reaper that forwards
   signals, because the kernel drops SIGTERM to a PID 1 without a handler.
   The child goes on to exec the command.  */
STEP (start_init_reaper)
{
  sigset_t set;
  pid_t child;
  int status;

  if (!spec->init)
    return 0;
  sigemptyset (&set);
  for (int sig = 1; sig < SIGRTMIN; sig++)
    if (sig != SIGKILL && sig != SIGSTOP && sig != SIGSEGV && sig != SIGBUS && sig != SIGILL
        && sig != SIGFPE && sig != SIGTRAP)
      sigaddset (&set, sig);
  if (sigprocmask (SIG_BLOCK, &set, NULL) < 0)
    return make_error (err, errno, "sigprocmask");
  child = fork ();
  if (child < 0)
    return make_error (err, errno, "fork");
  if (child == 0)
    {
      if (sigprocmask (SIG_SETMASK, &run->saved_mask, NULL) < 0
          || prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        return make_error (err, errno, "prepare the command's process");
      return 0;
    }
  close (REPORT_FD); /* the command keeps it until exec */
  if (run->start_fifo_fd >= 0)
    close (run->start_fifo_fd); /* likewise: the reader sees EOF at the command's exec */
  if ((status = forward_until_exit (child, &set, err)) < 0)
    return -1;
  err->status = status;
  return 1;
}
