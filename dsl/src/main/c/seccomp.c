/* minke-init: Docker's default seccomp profile, loaded as a ready BPF program.
   build.sh compiles the profile (seccomp-default.list, the list Java also
   turns into runc/crun's linux.seccomp section) with libseccomp once, at
   build time (host/profile.c, host/seccomp-gen.c), and writes the program
   libseccomp generates into seccomp_filter.h: the very instructions
   seccomp_load would load, covering the native ABI and the compat ones
   (x86_64 + i386 + x32; aarch64 + arm), with EPERM as the default action and
   ENOSYS for clone3.  host/seccomp-check.c verifies that this program and a
   filter libseccomp builds give the same verdicts.  Loading it costs one
   prctl instead of ~10 ms of CPU per container start.  */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>

#include "steps.h"

#include "seccomp_filter.h"

static int
load_default_profile (struct init_error *err)
{
  struct sock_fprog prog = {
    .len = (unsigned short)(sizeof seccomp_default_filter / sizeof seccomp_default_filter[0]),
    .filter = (struct sock_filter *)seccomp_default_filter,
  };

  /* What libseccomp's seccomp_load does with no filter flags set.  */
  if (prctl (PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
    return make_error (err, errno, "prctl PR_SET_SECCOMP");
  return 0;
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
