/* Test program (built by build.sh next to minke-init's build, run by
   SeccompFilterIT): the precompiled program minke-init loads
   (seccomp_filter.h) must be the one libseccomp builds from the rule list, and
   must give the same verdicts.  It checks
     1. the exported program is identical, instruction for instruction;
     2. for a handful of system calls (native ABI, and on x86_64 the x32 and
        i386 ABIs), a child that loaded the filter with libseccomp's
        seccomp_load and a child that loaded the precompiled program with
        prctl get the same result, and the expected one (EPERM for what the
        profile blocks, ENOSYS for clone3, the kernel's own answer otherwise).
   Every call is made so that it fails harmlessly when it is allowed.  Prints
   one line per case; exits 0 when all agree.  */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "profile.h"

#include "seccomp_filter.h"

#define N_PRECOMPILED (sizeof seccomp_default_filter / sizeof seccomp_default_filter[0])

enum expect
{
  BLOCKED_EPERM,
  BLOCKED_ENOSYS,
  PASSES, /* reaches the kernel: any result but the filter's errnos */
};

enum abi
{
  NATIVE,
  X32,
  I386,
};

struct probe
{
  const char *what;
  enum abi abi;
  long nr;
  long a0, a1, a2;
  enum expect expect;
};

#ifndef __NR_clone3
#define __NR_clone3 435
#endif
#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup 425
#endif
#define X32_BIT 0x40000000L

static const struct probe probes[] = {
  { "getpid", NATIVE, __NR_getpid, 0, 0, 0, PASSES },
  /* CLONE_THREAD without CLONE_SIGHAND: EINVAL once past the filter.  */
  { "clone(CLONE_THREAD)", NATIVE, __NR_clone, CLONE_THREAD, 0, 0, PASSES },
  { "clone(CLONE_NEWUSER|CLONE_THREAD)", NATIVE, __NR_clone, CLONE_NEWUSER | CLONE_THREAD, 0, 0,
    BLOCKED_EPERM },
  { "clone(CLONE_NEWNS|CLONE_THREAD)", NATIVE, __NR_clone, CLONE_NEWNS | CLONE_THREAD, 0, 0,
    BLOCKED_EPERM },
  { "clone3(NULL, 0)", NATIVE, __NR_clone3, 0, 0, 0, BLOCKED_ENOSYS },
  { "socket(AF_VSOCK)", NATIVE, __NR_socket, 40, -1, 0, BLOCKED_EPERM },
  { "socket(AF_UNIX, bad type)", NATIVE, __NR_socket, 1, -1, 0, PASSES },
  { "personality(0xffffffff)", NATIVE, __NR_personality, 0xffffffffL, 0, 0, PASSES },
  { "personality(0x1234)", NATIVE, __NR_personality, 0x1234, 0, 0, BLOCKED_EPERM },
  { "unshare(0)", NATIVE, __NR_unshare, 0, 0, 0, BLOCKED_EPERM },
  { "mount(NULL, NULL, NULL)", NATIVE, __NR_mount, 0, 0, 0, BLOCKED_EPERM },
  { "keyctl(-1)", NATIVE, __NR_keyctl, -1, 0, 0, BLOCKED_EPERM },
  { "ptrace(-1)", NATIVE, __NR_ptrace, -1, 0, 0, BLOCKED_EPERM },
  { "io_uring_setup(0, NULL)", NATIVE, __NR_io_uring_setup, 0, 0, 0, BLOCKED_EPERM },
  { "setns(-1, 0)", NATIVE, __NR_setns, -1, 0, 0, BLOCKED_EPERM },
  { "read(-1)", NATIVE, __NR_read, -1, 0, 0, PASSES },
#if defined(__x86_64__)
  /* x32 (nr | 0x40000000): allowed calls get ENOSYS where x32 is disabled.  */
  { "x32 getpid", X32, X32_BIT | 39, 0, 0, 0, PASSES },
  { "x32 mount", X32, X32_BIT | 165, 0, 0, 0, BLOCKED_EPERM },
  { "x32 unshare", X32, X32_BIT | 272, 0, 0, 0, BLOCKED_EPERM },
  /* i386 through int $0x80: without IA32 emulation the child dies of SIGSEGV
     on both sides.  */
  { "i386 getpid", I386, 20, 0, 0, 0, PASSES },
  { "i386 mount", I386, 21, 0, 0, 0, BLOCKED_EPERM },
  { "i386 unshare", I386, 310, 0, 0, 0, BLOCKED_EPERM },
  { "i386 clone3", I386, 435, 0, 0, 0, BLOCKED_ENOSYS },
#endif
};

static long
call (const struct probe *p)
{
#if defined(__x86_64__)
  if (p->abi == I386)
    {
      long ret;
      __asm__ volatile("int $0x80"
                       : "=a"(ret)
                       : "a"(p->nr), "b"(p->a0), "c"(p->a1), "d"(p->a2)
                       : "memory");
      if (ret < 0 && ret > -4096)
        {
          errno = (int)-ret;
          return -1;
        }
      return ret;
    }
#endif
  return syscall (p->nr, p->a0, p->a1, p->a2);
}

/* The probe in a child that loaded the filter one way or the other: "errno N",
   "ok", "signal N", or "load failed ...".  */
static void
verdict (const struct probe *p, scmp_filter_ctx ctx, char *out, size_t n)
{
  int fds[2];
  pid_t pid;
  int status;

  if (pipe (fds) < 0)
    {
      snprintf (out, n, "pipe: %s", strerror (errno));
      return;
    }
  pid = fork ();
  if (pid == 0)
    {
      char line[64];
      int ret;
      close (fds[0]);
      if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        _exit (100);
      if (ctx != NULL)
        ret = seccomp_load (ctx);
      else
        {
          struct sock_fprog prog = { .len = (unsigned short)N_PRECOMPILED,
                                     .filter = (struct sock_filter *)seccomp_default_filter };
          ret = prctl (PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0 ? -errno : 0;
        }
      if (ret < 0)
        snprintf (line, sizeof line, "load failed: %s", strerror (-ret));
      else
        {
          long r = call (p);
          /* write is allowed by the profile.  */
          if (r < 0)
            snprintf (line, sizeof line, "errno %d (%s)", errno, strerrorname_np (errno));
          else
            snprintf (line, sizeof line, "ok");
        }
      if (write (fds[1], line, strlen (line)) < 0)
        _exit (101);
      _exit (0);
    }
  close (fds[1]);
  if (pid < 0)
    {
      snprintf (out, n, "fork: %s", strerror (errno));
      close (fds[0]);
      return;
    }
  ssize_t got = read (fds[0], out, n - 1);
  close (fds[0]);
  if (waitpid (pid, &status, 0) < 0)
    snprintf (out, n, "waitpid: %s", strerror (errno));
  else if (WIFSIGNALED (status))
    snprintf (out, n, "signal %d", WTERMSIG (status));
  else
    out[got > 0 ? got : 0] = '\0';
}

static int
matches (enum expect expect, const char *result)
{
  switch (expect)
    {
    case BLOCKED_EPERM:
      return strcmp (result, "errno 1 (EPERM)") == 0;
    case BLOCKED_ENOSYS:
      return strcmp (result, "errno 38 (ENOSYS)") == 0;
    case PASSES:
      return strcmp (result, "errno 1 (EPERM)") != 0 && strncmp (result, "load failed", 11) != 0;
    }
  return 0;
}

int
main (void)
{
  scmp_filter_ctx ctx = profile_build ();
  struct sock_filter *exported;
  size_t len;
  int failures = 0, ret;

  if (ctx == NULL)
    return 1;
  if ((ret = profile_export (ctx, &exported, &len)) < 0)
    {
      fprintf (stderr, "seccomp_export_bpf: %s\n", strerror (-ret));
      return 1;
    }
  if (len != N_PRECOMPILED
      || memcmp (exported, seccomp_default_filter, len * sizeof *exported) != 0)
    {
      printf ("FAIL program: libseccomp builds %zu instructions, seccomp_filter.h has %zu or "
              "they differ\n",
              len, N_PRECOMPILED);
      failures++;
    }
  else
    printf ("ok   program: %zu instructions, identical to libseccomp's (%s)\n", len,
            profile_arches ());
  free (exported);
  for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
    {
      char built[128], precompiled[128];
      int ok;
      verdict (&probes[i], ctx, built, sizeof built);
      verdict (&probes[i], NULL, precompiled, sizeof precompiled);
      ok = strcmp (built, precompiled) == 0 && matches (probes[i].expect, precompiled);
      /* The i386 ABI may be compiled out of the kernel: then both die of SIGSEGV.  */
      if (!ok && probes[i].abi == I386 && strcmp (built, precompiled) == 0
          && strcmp (built, "signal 11") == 0)
        ok = 1;
      printf ("%s %-36s libseccomp: %-22s precompiled: %s\n", ok ? "ok  " : "FAIL", probes[i].what,
              built, precompiled);
      failures += !ok;
    }
  seccomp_release (ctx);
  return failures == 0 ? 0 : 1;
}
