/* minke-init: the default seccomp profile, built with libseccomp.
   Equivalent to Docker's default profile (moby profiles/seccomp default.json)
   for a container without CAP_SYS_ADMIN: the default action is EPERM and the
   rule list (seccomp-default.list) says what is allowed.  Calls that Docker only grants with extra
   capabilities (mount, umount2, unshare, setns, bpf, perf_event_open, ptrace,
   ...) and the ones it always blocks (keyctl, add_key, request_key,
   pivot_root, kexec_load, userfaultfd, io_uring_*, swapon/swapoff) are not
   in it, so they fail with EPERM.  Names unknown on this architecture are
   skipped.  The same list gives runc/crun their linux.seccomp section.  */
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

/* The rules come from the one list Java also reads (resources/dev/minke/runtime/
   seccomp-default.list); build.sh turns it into seccomp_rules.h.  */
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
