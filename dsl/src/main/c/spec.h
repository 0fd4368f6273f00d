/* minke-init: the init spec read from fd 3, parsed once, read-only after.  */
#ifndef MINKE_SPEC_H
#define MINKE_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "device_filter.h"
#include "errors.h"

struct id_map
{
  unsigned long inner, outer, count;
};

struct rlimit_entry
{
  int resource;
  const char *name;
  rlim_t soft, hard;
};

/* mount=DEST|TYPE|SOURCE|OPTIONS  */
struct mount_entry
{
  const char *dest, *type, *source;
  unsigned long flags;       /* MS_* flags except propagation and MS_RDONLY for binds */
  unsigned long propagation; /* MS_PRIVATE/MS_SLAVE/MS_SHARED [|MS_REC], or 0 */
  bool bind, readonly;
  char *data; /* the options mount(2) does not know, comma-joined */
};

struct init_spec
{
  char *buf; /* every string below points into it */

  const char *rootfs;         /* rootfs=, or NULL in overlay mode */
  const char *overlay_dir;    /* chdir here before the overlay mount */
  const char **overlay_lower; /* topmost first */
  size_t n_overlay_lower;
  const char *overlay_upper, *overlay_work, *overlay_target;
  char *root; /* absolute: rootfs, or overlay target */

  bool readonly, no_new_privs, seccomp, init;
  const char *hostname;
  const char *cwd;
  const char **argv; /* NULL-terminated */
  size_t argc;
  const char **envp; /* NULL-terminated */
  size_t envc;
  uid_t uid;
  gid_t gid;
  gid_t *groups;
  size_t n_groups;
  int ns_flags; /* CLONE_NEW* */
  struct id_map *uidmap, *gidmap;
  size_t n_uidmap, n_gidmap;
  uint64_t caps;
  struct rlimit_entry *rlimits;
  size_t n_rlimits;
  const char **masks;
  size_t n_masks;
  const char **readonly_paths;
  size_t n_readonly_paths;
  struct mount_entry *mounts;
  size_t n_mounts;
  const char **cgroups;
  size_t n_cgroups;
  const char *device_filter; /* device_filter=: cgroup v2 dir to attach it to; NULL when absent */
  struct device_rule *device_rules; /* device_allow=: what the filter allows */
  size_t n_device_rules;
  const char *start_fifo; /* start_fifo=: wait for a reader before exec; NULL when absent */
  const char *net_sync; /* net_sync=: FIFO the monitor waits on for the network; NULL when absent */
  pid_t join; /* join=PID: exec in that container instead of creating one; 0 when absent */
};

/* Read the whole spec from FD and validate it.  Returns 0 or -1 with ERR set.  */
int read_spec (int fd, struct init_spec *spec, struct init_error *err);

/* Capability name <-> number (caps.c).  */
int cap_from_name (const char *name);

#endif
