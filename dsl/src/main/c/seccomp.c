/* minke-init: the default seccomp profile, built with libseccomp.
   Equivalent to Docker's default profile (moby profiles/seccomp default.json)
   for a container without CAP_SYS_ADMIN: the default action is EPERM and the
   table below lists what is allowed.  Calls that Docker only grants with extra
   capabilities (mount, umount2, unshare, setns, bpf, perf_event_open, ptrace,
   ...) and the ones it always blocks (keyctl, add_key, request_key,
   pivot_root, kexec_load, userfaultfd, io_uring_*, swapon/swapoff) are not
   in it, so they fail with EPERM.  Names unknown on this architecture are
   skipped.  */
#define _GNU_SOURCE
#include <errno.h>
#include <seccomp.h>
#include <string.h>

#include "steps.h"

enum rule_kind
{
  ALLOW,
  ALLOW_CLONE_NO_NS, /* clone without namespace flags */
  ALLOW_SOCKET_NO_VSOCK,
  ALLOW_PERSONALITY, /* only Docker's personality values */
  FAIL_ENOSYS,       /* clone3: libc then falls back to clone */
  FAIL_EPERM,        /* listed for the reader: the default action anyway */
};

struct syscall_rule
{
  const char *name;
  enum rule_kind kind;
};

/* Namespace flags clone must not carry: CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|
   NEWUSER|NEWPID|NEWNET, Docker's mask 0x7E020000.  */
#define CLONE_NS_MASK   0x7E020000ULL
#define AF_VSOCK_FAMILY 40

static const struct syscall_rule syscall_rules[] = {
  /* Blocked (EPERM), named so a reader sees the intent.  */
  { "add_key", FAIL_EPERM },
  { "keyctl", FAIL_EPERM },
  { "request_key", FAIL_EPERM },
  { "unshare", FAIL_EPERM },
  { "mount", FAIL_EPERM },
  { "umount2", FAIL_EPERM },
  { "pivot_root", FAIL_EPERM },
  { "setns", FAIL_EPERM },
  { "kexec_load", FAIL_EPERM },
  { "kexec_file_load", FAIL_EPERM },
  { "bpf", FAIL_EPERM },
  { "perf_event_open", FAIL_EPERM },
  { "ptrace", FAIL_EPERM },
  { "userfaultfd", FAIL_EPERM },
  { "io_uring_setup", FAIL_EPERM },
  { "io_uring_enter", FAIL_EPERM },
  { "io_uring_register", FAIL_EPERM },
  { "swapon", FAIL_EPERM },
  { "swapoff", FAIL_EPERM },
  /* Conditional.  */
  { "clone", ALLOW_CLONE_NO_NS },
  { "clone3", FAIL_ENOSYS },
  { "socket", ALLOW_SOCKET_NO_VSOCK },
  { "personality", ALLOW_PERSONALITY },
  /* Allowed.  */
  { "accept", ALLOW },
  { "accept4", ALLOW },
  { "access", ALLOW },
  { "adjtimex", ALLOW },
  { "alarm", ALLOW },
  { "arch_prctl", ALLOW },
  { "bind", ALLOW },
  { "brk", ALLOW },
  { "cachestat", ALLOW },
  { "capget", ALLOW },
  { "capset", ALLOW },
  { "chdir", ALLOW },
  { "chmod", ALLOW },
  { "chown", ALLOW },
  { "chown32", ALLOW },
  { "clock_adjtime", ALLOW },
  { "clock_adjtime64", ALLOW },
  { "clock_getres", ALLOW },
  { "clock_getres_time64", ALLOW },
  { "clock_gettime", ALLOW },
  { "clock_gettime64", ALLOW },
  { "clock_nanosleep", ALLOW },
  { "clock_nanosleep_time64", ALLOW },
  { "close", ALLOW },
  { "close_range", ALLOW },
  { "connect", ALLOW },
  { "copy_file_range", ALLOW },
  { "creat", ALLOW },
  { "dup", ALLOW },
  { "dup2", ALLOW },
  { "dup3", ALLOW },
  { "epoll_create", ALLOW },
  { "epoll_create1", ALLOW },
  { "epoll_ctl", ALLOW },
  { "epoll_ctl_old", ALLOW },
  { "epoll_pwait", ALLOW },
  { "epoll_pwait2", ALLOW },
  { "epoll_wait", ALLOW },
  { "epoll_wait_old", ALLOW },
  { "eventfd", ALLOW },
  { "eventfd2", ALLOW },
  { "execve", ALLOW },
  { "execveat", ALLOW },
  { "exit", ALLOW },
  { "exit_group", ALLOW },
  { "faccessat", ALLOW },
  { "faccessat2", ALLOW },
  { "fadvise64", ALLOW },
  { "fadvise64_64", ALLOW },
  { "fallocate", ALLOW },
  { "fanotify_mark", ALLOW },
  { "fchdir", ALLOW },
  { "fchmod", ALLOW },
  { "fchmodat", ALLOW },
  { "fchmodat2", ALLOW },
  { "fchown", ALLOW },
  { "fchown32", ALLOW },
  { "fchownat", ALLOW },
  { "fcntl", ALLOW },
  { "fcntl64", ALLOW },
  { "fdatasync", ALLOW },
  { "fgetxattr", ALLOW },
  { "flistxattr", ALLOW },
  { "flock", ALLOW },
  { "fork", ALLOW },
  { "fremovexattr", ALLOW },
  { "fsetxattr", ALLOW },
  { "fstat", ALLOW },
  { "fstat64", ALLOW },
  { "fstatat64", ALLOW },
  { "fstatfs", ALLOW },
  { "fstatfs64", ALLOW },
  { "fsync", ALLOW },
  { "ftruncate", ALLOW },
  { "ftruncate64", ALLOW },
  { "futex", ALLOW },
  { "futex_requeue", ALLOW },
  { "futex_time64", ALLOW },
  { "futex_wait", ALLOW },
  { "futex_waitv", ALLOW },
  { "futex_wake", ALLOW },
  { "futimesat", ALLOW },
  { "getcpu", ALLOW },
  { "getcwd", ALLOW },
  { "getdents", ALLOW },
  { "getdents64", ALLOW },
  { "getegid", ALLOW },
  { "getegid32", ALLOW },
  { "geteuid", ALLOW },
  { "geteuid32", ALLOW },
  { "getgid", ALLOW },
  { "getgid32", ALLOW },
  { "getgroups", ALLOW },
  { "getgroups32", ALLOW },
  { "getitimer", ALLOW },
  { "getpeername", ALLOW },
  { "getpgid", ALLOW },
  { "getpgrp", ALLOW },
  { "getpid", ALLOW },
  { "getppid", ALLOW },
  { "getpriority", ALLOW },
  { "getrandom", ALLOW },
  { "getresgid", ALLOW },
  { "getresgid32", ALLOW },
  { "getresuid", ALLOW },
  { "getresuid32", ALLOW },
  { "getrlimit", ALLOW },
  { "get_robust_list", ALLOW },
  { "getrusage", ALLOW },
  { "getsid", ALLOW },
  { "getsockname", ALLOW },
  { "getsockopt", ALLOW },
  { "get_thread_area", ALLOW },
  { "gettid", ALLOW },
  { "gettimeofday", ALLOW },
  { "getuid", ALLOW },
  { "getuid32", ALLOW },
  { "getxattr", ALLOW },
  { "inotify_add_watch", ALLOW },
  { "inotify_init", ALLOW },
  { "inotify_init1", ALLOW },
  { "inotify_rm_watch", ALLOW },
  { "io_cancel", ALLOW },
  { "ioctl", ALLOW },
  { "io_destroy", ALLOW },
  { "io_getevents", ALLOW },
  { "io_pgetevents", ALLOW },
  { "io_pgetevents_time64", ALLOW },
  { "ioprio_get", ALLOW },
  { "ioprio_set", ALLOW },
  { "io_setup", ALLOW },
  { "io_submit", ALLOW },
  { "ipc", ALLOW },
  { "kill", ALLOW },
  { "landlock_add_rule", ALLOW },
  { "landlock_create_ruleset", ALLOW },
  { "landlock_restrict_self", ALLOW },
  { "lchown", ALLOW },
  { "lchown32", ALLOW },
  { "lgetxattr", ALLOW },
  { "link", ALLOW },
  { "linkat", ALLOW },
  { "listen", ALLOW },
  { "listxattr", ALLOW },
  { "llistxattr", ALLOW },
  { "_llseek", ALLOW },
  { "lremovexattr", ALLOW },
  { "lseek", ALLOW },
  { "lsetxattr", ALLOW },
  { "lstat", ALLOW },
  { "lstat64", ALLOW },
  { "madvise", ALLOW },
  { "map_shadow_stack", ALLOW },
  { "membarrier", ALLOW },
  { "memfd_create", ALLOW },
  { "memfd_secret", ALLOW },
  { "mincore", ALLOW },
  { "mkdir", ALLOW },
  { "mkdirat", ALLOW },
  { "mknod", ALLOW },
  { "mknodat", ALLOW },
  { "mlock", ALLOW },
  { "mlock2", ALLOW },
  { "mlockall", ALLOW },
  { "mmap", ALLOW },
  { "mmap2", ALLOW },
  { "modify_ldt", ALLOW },
  { "mprotect", ALLOW },
  { "mq_getsetattr", ALLOW },
  { "mq_notify", ALLOW },
  { "mq_open", ALLOW },
  { "mq_timedreceive", ALLOW },
  { "mq_timedreceive_time64", ALLOW },
  { "mq_timedsend", ALLOW },
  { "mq_timedsend_time64", ALLOW },
  { "mq_unlink", ALLOW },
  { "mremap", ALLOW },
  { "mseal", ALLOW },
  { "msgctl", ALLOW },
  { "msgget", ALLOW },
  { "msgrcv", ALLOW },
  { "msgsnd", ALLOW },
  { "msync", ALLOW },
  { "munlock", ALLOW },
  { "munlockall", ALLOW },
  { "munmap", ALLOW },
  { "name_to_handle_at", ALLOW },
  { "nanosleep", ALLOW },
  { "newfstatat", ALLOW },
  { "_newselect", ALLOW },
  { "open", ALLOW },
  { "openat", ALLOW },
  { "openat2", ALLOW },
  { "pause", ALLOW },
  { "pidfd_open", ALLOW },
  { "pidfd_send_signal", ALLOW },
  { "pipe", ALLOW },
  { "pipe2", ALLOW },
  { "pkey_alloc", ALLOW },
  { "pkey_free", ALLOW },
  { "pkey_mprotect", ALLOW },
  { "poll", ALLOW },
  { "ppoll", ALLOW },
  { "ppoll_time64", ALLOW },
  { "prctl", ALLOW },
  { "pread64", ALLOW },
  { "preadv", ALLOW },
  { "preadv2", ALLOW },
  { "prlimit64", ALLOW },
  { "process_mrelease", ALLOW },
  { "pselect6", ALLOW },
  { "pselect6_time64", ALLOW },
  { "pwrite64", ALLOW },
  { "pwritev", ALLOW },
  { "pwritev2", ALLOW },
  { "read", ALLOW },
  { "readahead", ALLOW },
  { "readlink", ALLOW },
  { "readlinkat", ALLOW },
  { "readv", ALLOW },
  { "recv", ALLOW },
  { "recvfrom", ALLOW },
  { "recvmmsg", ALLOW },
  { "recvmmsg_time64", ALLOW },
  { "recvmsg", ALLOW },
  { "remap_file_pages", ALLOW },
  { "removexattr", ALLOW },
  { "rename", ALLOW },
  { "renameat", ALLOW },
  { "renameat2", ALLOW },
  { "restart_syscall", ALLOW },
  { "rmdir", ALLOW },
  { "rseq", ALLOW },
  { "rt_sigaction", ALLOW },
  { "rt_sigpending", ALLOW },
  { "rt_sigprocmask", ALLOW },
  { "rt_sigqueueinfo", ALLOW },
  { "rt_sigreturn", ALLOW },
  { "rt_sigsuspend", ALLOW },
  { "rt_sigtimedwait", ALLOW },
  { "rt_sigtimedwait_time64", ALLOW },
  { "rt_tgsigqueueinfo", ALLOW },
  { "sched_getaffinity", ALLOW },
  { "sched_getattr", ALLOW },
  { "sched_getparam", ALLOW },
  { "sched_get_priority_max", ALLOW },
  { "sched_get_priority_min", ALLOW },
  { "sched_getscheduler", ALLOW },
  { "sched_rr_get_interval", ALLOW },
  { "sched_rr_get_interval_time64", ALLOW },
  { "sched_setaffinity", ALLOW },
  { "sched_setattr", ALLOW },
  { "sched_setparam", ALLOW },
  { "sched_setscheduler", ALLOW },
  { "sched_yield", ALLOW },
  { "seccomp", ALLOW },
  { "select", ALLOW },
  { "semctl", ALLOW },
  { "semget", ALLOW },
  { "semop", ALLOW },
  { "semtimedop", ALLOW },
  { "semtimedop_time64", ALLOW },
  { "send", ALLOW },
  { "sendfile", ALLOW },
  { "sendfile64", ALLOW },
  { "sendmmsg", ALLOW },
  { "sendmsg", ALLOW },
  { "sendto", ALLOW },
  { "setfsgid", ALLOW },
  { "setfsgid32", ALLOW },
  { "setfsuid", ALLOW },
  { "setfsuid32", ALLOW },
  { "setgid", ALLOW },
  { "setgid32", ALLOW },
  { "setgroups", ALLOW },
  { "setgroups32", ALLOW },
  { "setitimer", ALLOW },
  { "setpgid", ALLOW },
  { "setpriority", ALLOW },
  { "setregid", ALLOW },
  { "setregid32", ALLOW },
  { "setresgid", ALLOW },
  { "setresgid32", ALLOW },
  { "setresuid", ALLOW },
  { "setresuid32", ALLOW },
  { "setreuid", ALLOW },
  { "setreuid32", ALLOW },
  { "setrlimit", ALLOW },
  { "set_robust_list", ALLOW },
  { "setsid", ALLOW },
  { "setsockopt", ALLOW },
  { "set_thread_area", ALLOW },
  { "set_tid_address", ALLOW },
  { "setuid", ALLOW },
  { "setuid32", ALLOW },
  { "setxattr", ALLOW },
  { "shmat", ALLOW },
  { "shmctl", ALLOW },
  { "shmdt", ALLOW },
  { "shmget", ALLOW },
  { "shutdown", ALLOW },
  { "sigaltstack", ALLOW },
  { "signalfd", ALLOW },
  { "signalfd4", ALLOW },
  { "sigprocmask", ALLOW },
  { "sigreturn", ALLOW },
  { "socketcall", ALLOW },
  { "socketpair", ALLOW },
  { "splice", ALLOW },
  { "stat", ALLOW },
  { "stat64", ALLOW },
  { "statfs", ALLOW },
  { "statfs64", ALLOW },
  { "statx", ALLOW },
  { "symlink", ALLOW },
  { "symlinkat", ALLOW },
  { "sync", ALLOW },
  { "sync_file_range", ALLOW },
  { "syncfs", ALLOW },
  { "sysinfo", ALLOW },
  { "tee", ALLOW },
  { "tgkill", ALLOW },
  { "time", ALLOW },
  { "timer_create", ALLOW },
  { "timer_delete", ALLOW },
  { "timer_getoverrun", ALLOW },
  { "timer_gettime", ALLOW },
  { "timer_gettime64", ALLOW },
  { "timer_settime", ALLOW },
  { "timer_settime64", ALLOW },
  { "timerfd_create", ALLOW },
  { "timerfd_gettime", ALLOW },
  { "timerfd_gettime64", ALLOW },
  { "timerfd_settime", ALLOW },
  { "timerfd_settime64", ALLOW },
  { "times", ALLOW },
  { "tkill", ALLOW },
  { "truncate", ALLOW },
  { "truncate64", ALLOW },
  { "ugetrlimit", ALLOW },
  { "umask", ALLOW },
  { "uname", ALLOW },
  { "unlink", ALLOW },
  { "unlinkat", ALLOW },
  { "utime", ALLOW },
  { "utimensat", ALLOW },
  { "utimensat_time64", ALLOW },
  { "utimes", ALLOW },
  { "vfork", ALLOW },
  { "vmsplice", ALLOW },
  { "wait4", ALLOW },
  { "waitid", ALLOW },
  { "waitpid", ALLOW },
  { "write", ALLOW },
  { "writev", ALLOW },
  /* arm and arm64 only.  */
  { "arm_fadvise64_64", ALLOW },
  { "arm_sync_file_range", ALLOW },
  { "sync_file_range2", ALLOW },
  { "breakpoint", ALLOW },
  { "cacheflush", ALLOW },
  { "set_tls", ALLOW },
};

static const unsigned long personalities[] = { 0x0, 0x8, 0x20000, 0x20008, 0xffffffff };

static int
add_rule (scmp_filter_ctx ctx, const struct syscall_rule *rule, int nr)
{
  switch (rule->kind)
    {
    case ALLOW:
      return seccomp_rule_add (ctx, SCMP_ACT_ALLOW, nr, 0);
    case ALLOW_CLONE_NO_NS:
      return seccomp_rule_add (ctx, SCMP_ACT_ALLOW, nr, 1,
                               SCMP_A0 (SCMP_CMP_MASKED_EQ, CLONE_NS_MASK, 0));
    case ALLOW_SOCKET_NO_VSOCK:
      return seccomp_rule_add (ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A0 (SCMP_CMP_NE, AF_VSOCK_FAMILY));
    case ALLOW_PERSONALITY:
      for (size_t i = 0; i < sizeof personalities / sizeof personalities[0]; i++)
        {
          int ret = seccomp_rule_add (ctx, SCMP_ACT_ALLOW, nr, 1,
                                      SCMP_A0 (SCMP_CMP_EQ, personalities[i]));
          if (ret < 0)
            return ret;
        }
      return 0;
    case FAIL_ENOSYS:
      return seccomp_rule_add (ctx, SCMP_ACT_ERRNO (ENOSYS), nr, 0);
    case FAIL_EPERM:
      return 0;
    }
  return -EINVAL;
}

/* Docker also filters the compat ABIs (i386 and x32 on x86_64, arm on arm64).  */
static int
add_compat_arches (scmp_filter_ctx ctx)
{
#if defined(__x86_64__)
  static const uint32_t arches[] = { SCMP_ARCH_X86, SCMP_ARCH_X32 };
#elif defined(__aarch64__)
  static const uint32_t arches[] = { SCMP_ARCH_ARM };
#else
  static const uint32_t arches[] = { SCMP_ARCH_NATIVE };
#endif
  for (size_t i = 0; i < sizeof arches / sizeof arches[0]; i++)
    {
      int ret = seccomp_arch_add (ctx, arches[i]);
      if (ret < 0 && ret != -EEXIST)
        return ret;
    }
  return 0;
}

static int
build_filter (scmp_filter_ctx ctx, struct init_error *err)
{
  int ret;
  /* no_new_privs is its own key: libseccomp must not set it behind our back.  */
  if ((ret = seccomp_attr_set (ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0)
    return make_error (err, -ret, "seccomp_attr_set NNP");
  if ((ret = add_compat_arches (ctx)) < 0)
    return make_error (err, -ret, "seccomp_arch_add");
  for (size_t i = 0; i < sizeof syscall_rules / sizeof syscall_rules[0]; i++)
    {
      int nr = seccomp_syscall_resolve_name (syscall_rules[i].name);
      if (nr == __NR_SCMP_ERROR)
        continue;
      ret = add_rule (ctx, &syscall_rules[i], nr);
      if (ret < 0)
        return make_error (err, -ret, "seccomp_rule_add `%s`", syscall_rules[i].name);
    }
  return 0;
}

static int
load_default_profile (struct init_error *err)
{
  scmp_filter_ctx ctx = seccomp_init (SCMP_ACT_ERRNO (EPERM));
  int ret;

  if (ctx == NULL)
    return make_error (err, ENOMEM, "seccomp_init");
  ret = build_filter (ctx, err);
  if (ret == 0 && (ret = seccomp_load (ctx)) < 0)
    ret = make_error (err, -ret, "seccomp_load");
  seccomp_release (ctx);
  return ret;
}

/* Without no_new_privs, loading a filter needs CAP_SYS_ADMIN, so it happens
   before the capabilities are dropped (as runc does).  */
STEP (load_seccomp_early)
{
  (void)run;
  if (!spec->seccomp || spec->no_new_privs)
    return 0;
  return load_default_profile (err);
}

/* With no_new_privs, the filter goes on last, right before exec.  */
STEP (load_seccomp)
{
  (void)run;
  if (!spec->seccomp || !spec->no_new_privs)
    return 0;
  return load_default_profile (err);
}
