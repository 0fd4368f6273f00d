/* minke-init: mount option parsing and whole-spec validation.  Everything is
   checked before minke-init changes anything.  */
#define _GNU_SOURCE
#include "spec.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

static const struct
{
  const char *name;
  bool clear;
  unsigned long flag;
} mount_flags[] = {
  { "defaults", false, 0 },
  { "ro", false, MS_RDONLY },
  { "rw", true, MS_RDONLY },
  { "nosuid", false, MS_NOSUID },
  { "suid", true, MS_NOSUID },
  { "nodev", false, MS_NODEV },
  { "dev", true, MS_NODEV },
  { "noexec", false, MS_NOEXEC },
  { "exec", true, MS_NOEXEC },
  { "sync", false, MS_SYNCHRONOUS },
  { "async", true, MS_SYNCHRONOUS },
  { "noatime", false, MS_NOATIME },
  { "atime", true, MS_NOATIME },
  { "nodiratime", false, MS_NODIRATIME },
  { "diratime", true, MS_NODIRATIME },
  { "relatime", false, MS_RELATIME },
  { "norelatime", true, MS_RELATIME },
  { "strictatime", false, MS_STRICTATIME },
  { "bind", false, MS_BIND },
  { "rbind", false, MS_BIND | MS_REC },
};

static const struct
{
  const char *name;
  unsigned long flag;
} propagations[] = {
  { "private", MS_PRIVATE },       { "rprivate", MS_PRIVATE | MS_REC },
  { "slave", MS_SLAVE },           { "rslave", MS_SLAVE | MS_REC },
  { "shared", MS_SHARED },         { "rshared", MS_SHARED | MS_REC },
  { "unbindable", MS_UNBINDABLE }, { "runbindable", MS_UNBINDABLE | MS_REC },
};

static bool
apply_flag (const char *opt, struct mount_entry *m)
{
  for (size_t i = 0; i < sizeof mount_flags / sizeof mount_flags[0]; i++)
    if (strcmp (mount_flags[i].name, opt) == 0)
      {
        if (mount_flags[i].clear)
          m->flags &= ~mount_flags[i].flag;
        else
          m->flags |= mount_flags[i].flag;
        return true;
      }
  for (size_t i = 0; i < sizeof propagations / sizeof propagations[0]; i++)
    if (strcmp (propagations[i].name, opt) == 0)
      {
        m->propagation = propagations[i].flag;
        return true;
      }
  return false;
}

/* Known options become flags; the rest (mode=1777, size=64m) goes to DATA.  */
static int
parse_mount_options (char *opts, struct mount_entry *m, struct init_error *err)
{
  size_t used = 0, size = strlen (opts) + 1;
  char *save = NULL;

  m->data = calloc (1, size);
  if (m->data == NULL)
    return make_error (err, ENOMEM, "parse mount options");
  for (char *opt = strtok_r (opts, ",", &save); opt; opt = strtok_r (NULL, ",", &save))
    {
      if (apply_flag (opt, m))
        continue;
      used += (size_t)snprintf (m->data + used, size - used, "%s%s", used ? "," : "", opt);
    }
  return 0;
}

int
parse_mount (char *value, struct mount_entry *m, struct init_error *err)
{
  char *fields[4] = { value, NULL, NULL, NULL };

  for (int i = 1; i < 4; i++)
    {
      char *bar = strchr (fields[i - 1], '|');
      if (bar == NULL)
        {
          for (int j = 1; j < i; j++)
            fields[j][-1] = '|'; /* quote the record as given */
          return spec_error (err, "mount must be DEST|TYPE|SOURCE|OPTIONS, not `%s`", value);
        }
      *bar = '\0';
      fields[i] = bar + 1;
    }
  m->dest = fields[0];
  m->type = fields[1];
  m->source = fields[2];
  if (m->dest[0] != '/' || m->type[0] == '\0')
    return spec_error (err, "mount `%s`: destination must be absolute and type set", m->dest);
  if (parse_mount_options (fields[3], m, err) < 0)
    return -1;
  m->bind = strcmp (m->type, "bind") == 0 || (m->flags & MS_BIND) != 0;
  m->flags |= m->bind ? MS_BIND : 0;
  if (m->bind && m->source[0] != '/')
    return spec_error (err, "bind mount `%s`: source `%s` is not absolute", m->dest, m->source);
  m->readonly = (m->flags & MS_RDONLY) != 0;
  return 0;
}

static int
check_overlay (struct init_spec *spec, struct init_error *err)
{
  size_t data = 0;
  bool overlay = spec->overlay_dir || spec->n_overlay_lower || spec->overlay_upper
                 || spec->overlay_work || spec->overlay_target;
  if (overlay == (spec->rootfs != NULL))
    return spec_error (err, "give either rootfs= or overlay.* keys");
  if (!overlay)
    return 0;
  if (spec->n_overlay_lower == 0 || spec->overlay_target == NULL)
    return spec_error (err, "overlay needs overlay.lower and overlay.target");
  if ((spec->overlay_upper == NULL) != (spec->overlay_work == NULL))
    return spec_error (err, "overlay.upper and overlay.work go together");
  for (size_t i = 0; i < spec->n_overlay_lower; i++)
    data += strlen (spec->overlay_lower[i]) + 1;
  data += spec->overlay_upper ? strlen (spec->overlay_upper) + 11 : 0;
  data += spec->overlay_work ? strlen (spec->overlay_work) + 10 : 0;
  if (data + 32 > 4096)
    return spec_error (err,
                       "overlay options are %zu bytes, over one page; use "
                       "overlay.dir and short relative lower paths",
                       data);
  return 0;
}

/* The container root as an absolute path: rootfs, or the overlay target.  */
static int
resolve_root (struct init_spec *spec, struct init_error *err)
{
  const char *target = spec->overlay_target;
  size_t size;

  if (spec->rootfs)
    target = spec->rootfs;
  else if (target[0] != '/' && spec->overlay_dir == NULL)
    return spec_error (err, "relative overlay.target `%s` needs overlay.dir", target);
  size = strlen (target) + (spec->overlay_dir ? strlen (spec->overlay_dir) : 0) + 2;
  spec->root = malloc (size);
  if (spec->root == NULL)
    return make_error (err, ENOMEM, "resolve root");
  if (target[0] == '/')
    snprintf (spec->root, size, "%s", target);
  else
    snprintf (spec->root, size, "%s/%s", spec->overlay_dir, target);
  return 0;
}

static int
check_namespaces (const struct init_spec *spec, struct init_error *err)
{
  bool user = (spec->ns_flags & CLONE_NEWUSER) != 0;
  if (!(spec->ns_flags & CLONE_NEWNS))
    return spec_error (err, "ns=mount is required");
  if (spec->hostname && !(spec->ns_flags & CLONE_NEWUTS))
    return spec_error (err, "hostname needs ns=uts");
  if (spec->net_sync && !(spec->ns_flags & CLONE_NEWNET))
    return spec_error (err, "net_sync needs ns=net");
  if (user != (spec->n_uidmap > 0) || user != (spec->n_gidmap > 0))
    return spec_error (err, "ns=user needs uidmap= and gidmap=, and they need ns=user");
  return 0;
}

/* The first key that makes a container, which join= must not have: the
   container's filesystem, hostname, namespaces and id maps already exist.  */
static const char *
join_conflict (const struct init_spec *spec)
{
  const struct
  {
    const char *key;
    bool given;
  } makers[] = {
    { "rootfs", spec->rootfs != NULL },
    { "overlay.dir", spec->overlay_dir != NULL },
    { "overlay.lower", spec->n_overlay_lower > 0 },
    { "overlay.upper", spec->overlay_upper != NULL },
    { "overlay.work", spec->overlay_work != NULL },
    { "overlay.target", spec->overlay_target != NULL },
    { "readonly", spec->readonly },
    { "hostname", spec->hostname != NULL },
    { "mount", spec->n_mounts > 0 },
    { "mask", spec->n_masks > 0 },
    { "readonly_path", spec->n_readonly_paths > 0 },
    { "ns", spec->ns_flags != 0 },
    { "uidmap", spec->n_uidmap > 0 },
    { "gidmap", spec->n_gidmap > 0 },
    { "init", spec->init },
    { "start_fifo", spec->start_fifo != NULL },
    { "net_sync", spec->net_sync != NULL },
    /* The container's cgroup has its filter already.  */
    { "device_filter", spec->device_filter != NULL },
    { "device_allow", spec->n_device_rules > 0 },
  };
  for (size_t i = 0; i < sizeof makers / sizeof makers[0]; i++)
    if (makers[i].given)
      return makers[i].key;
  return NULL;
}

int
validate_spec (struct init_spec *spec, struct init_error *err)
{
  const char *conflict;

  if (spec->argc == 0)
    return spec_error (err, "no arg= given: nothing to run");
  if (spec->join != 0 && (conflict = join_conflict (spec)) != NULL)
    return spec_error (err,
                       "join excludes `%s`: the container already has its filesystem, "
                       "hostname and namespaces",
                       conflict);
  if (spec->join != 0)
    return 0;
  /* Without device_filter= there is nothing to attach the rules to; the
     filter without rules denies every device, which is allowed.  */
  if (spec->n_device_rules > 0 && spec->device_filter == NULL)
    return spec_error (err, "device_allow needs device_filter=");
  if (check_overlay (spec, err) < 0 || check_namespaces (spec, err) < 0)
    return -1;
  return resolve_root (spec, err);
}
