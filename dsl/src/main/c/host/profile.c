/* Build-time only: Minke's default seccomp profile as a libseccomp filter.
   Equivalent to Docker's default profile (moby profiles/seccomp default.json)
   for a container without CAP_SYS_ADMIN: the default action is EPERM and the
   rule list (seccomp-default.list, turned into seccomp_rules.h by build.sh)
   says what is allowed.  Calls that Docker only grants with extra
   capabilities (mount, umount2, unshare, setns, bpf, perf_event_open, ptrace,
   ...) and the ones it always blocks (keyctl, add_key, request_key,
   pivot_root, kexec_load, userfaultfd, io_uring_*, swapon/swapoff) are not
   allowed, so they fail with EPERM.  Names unknown on this architecture are
   skipped.

   seccomp-gen exports this filter as BPF into seccomp_filter.h, which
   minke-init loads as it is (seccomp.c); seccomp-check compares the two.  */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "profile.h"

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
#include "seccomp_rules.h"
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

const char *
profile_arches (void)
{
#if defined(__x86_64__)
  return "x86_64 (native), x86 (i386) and x32";
#elif defined(__aarch64__)
  return "aarch64 (native) and arm";
#else
  return "the native ABI";
#endif
}

scmp_filter_ctx
profile_build (void)
{
  scmp_filter_ctx ctx = seccomp_init (SCMP_ACT_ERRNO (EPERM));
  int ret;

  if (ctx == NULL)
    {
      fprintf (stderr, "seccomp_init failed\n");
      return NULL;
    }
  /* no_new_privs is its own spec key: libseccomp must not set it.  */
  if ((ret = seccomp_attr_set (ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0)
    goto fail;
  if ((ret = add_compat_arches (ctx)) < 0)
    goto fail;
  for (size_t i = 0; i < sizeof syscall_rules / sizeof syscall_rules[0]; i++)
    {
      int nr = seccomp_syscall_resolve_name (syscall_rules[i].name);
      if (nr == __NR_SCMP_ERROR)
        continue;
      if ((ret = add_rule (ctx, &syscall_rules[i], nr)) < 0)
        {
          fprintf (stderr, "seccomp_rule_add `%s`: %s\n", syscall_rules[i].name, strerror (-ret));
          seccomp_release (ctx);
          return NULL;
        }
    }
  return ctx;
fail:
  fprintf (stderr, "building the seccomp filter: %s\n", strerror (-ret));
  seccomp_release (ctx);
  return NULL;
}

int
profile_export (scmp_filter_ctx ctx, struct sock_filter **prog, size_t *len)
{
  FILE *mem;
  char *buf = NULL;
  size_t size = 0;
  int fd, ret;

  /* seccomp_export_bpf writes to an fd: a pipe could fill up, so use a memfd.  */
  fd = memfd_create ("seccomp-bpf", MFD_CLOEXEC);
  if (fd < 0)
    return -errno;
  if ((ret = seccomp_export_bpf (ctx, fd)) < 0)
    {
      close (fd);
      return ret;
    }
  mem = fdopen (fd, "r");
  if (mem == NULL)
    {
      close (fd);
      return -errno;
    }
  rewind (mem);
  for (;;)
    {
      char chunk[4096];
      size_t n = fread (chunk, 1, sizeof chunk, mem);
      if (n == 0)
        break;
      char *bigger = realloc (buf, size + n);
      if (bigger == NULL)
        {
          free (buf);
          fclose (mem);
          return -ENOMEM;
        }
      buf = bigger;
      memcpy (buf + size, chunk, n);
      size += n;
    }
  fclose (mem);
  if (size == 0 || size % sizeof (struct sock_filter) != 0)
    {
      free (buf);
      return -EINVAL;
    }
  *prog = (struct sock_filter *)buf;
  *len = size / sizeof (struct sock_filter);
  return 0;
}
