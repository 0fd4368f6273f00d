/* minke-init: capabilities with raw syscalls (no libcap).  The spec's cap= set
   becomes bounding, permitted and effective; inheritable and ambient are
   cleared (CVE-2022-29162).  */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "steps.h"

static const char *const cap_names[] = {
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_DAC_READ_SEARCH",
  "CAP_FOWNER",
  "CAP_FSETID",
  "CAP_KILL",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETPCAP",
  "CAP_LINUX_IMMUTABLE",
  "CAP_NET_BIND_SERVICE",
  "CAP_NET_BROADCAST",
  "CAP_NET_ADMIN",
  "CAP_NET_RAW",
  "CAP_IPC_LOCK",
  "CAP_IPC_OWNER",
  "CAP_SYS_MODULE",
  "CAP_SYS_RAWIO",
  "CAP_SYS_CHROOT",
  "CAP_SYS_PTRACE",
  "CAP_SYS_PACCT",
  "CAP_SYS_ADMIN",
  "CAP_SYS_BOOT",
  "CAP_SYS_NICE",
  "CAP_SYS_RESOURCE",
  "CAP_SYS_TIME",
  "CAP_SYS_TTY_CONFIG",
  "CAP_MKNOD",
  "CAP_LEASE",
  "CAP_AUDIT_WRITE",
  "CAP_AUDIT_CONTROL",
  "CAP_SETFCAP",
  "CAP_MAC_OVERRIDE",
  "CAP_MAC_ADMIN",
  "CAP_SYSLOG",
  "CAP_WAKE_ALARM",
  "CAP_BLOCK_SUSPEND",
  "CAP_AUDIT_READ",
  "CAP_PERFMON",
  "CAP_BPF",
  "CAP_CHECKPOINT_RESTORE",
};

#define N_CAP_NAMES ((int)(sizeof cap_names / sizeof cap_names[0]))

int
cap_from_name (const char *name)
{
  for (int i = 0; i < N_CAP_NAMES; i++)
    if (strcasecmp (cap_names[i], name) == 0)
      return i;
  return -1;
}

STEP (drop_bounding_caps)
{
  (void)run;
  /* PR_CAPBSET_READ fails with EINVAL past the kernel's last capability.  */
  for (int cap = 0; cap < 64 && prctl (PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
    {
      if (spec->caps & (UINT64_C (1) << cap))
        continue;
      if (prctl (PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
        return make_error (err, errno, "prctl PR_CAPBSET_DROP `%s`",
                           cap < N_CAP_NAMES ? cap_names[cap] : "?");
    }
  return 0;
}

STEP (set_caps)
{
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[2];
  (void)run;

  memset (data, 0, sizeof data);
  for (int i = 0; i < 2; i++)
    {
      data[i].effective = (uint32_t)(spec->caps >> (32 * i));
      data[i].permitted = data[i].effective;
      data[i].inheritable = 0;
    }
  if (syscall (SYS_capset, &header, data) < 0)
    return make_error (err, errno, "capset `%#llx`", (unsigned long long)spec->caps);
  if (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
    return make_error (err, errno, "prctl PR_CAP_AMBIENT_CLEAR_ALL");
  return 0;
}

STEP (set_no_new_privs)
{
  (void)run;
  if (spec->no_new_privs && prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return make_error (err, errno, "prctl PR_SET_NO_NEW_PRIVS");
  return 0;
}
