/* minke-init: parse and validate the init spec.
   The spec is NUL-terminated key=value records; see README.md.  */
#define _GNU_SOURCE
#include "spec.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#define MAX_SPEC_BYTES (4 * 1024 * 1024)

typedef int (*key_parser) (struct init_spec *spec, char *value, struct init_error *err);

struct key_entry
{
  const char *key;
  key_parser parse;
  bool repeated;
};

static int
bad (struct init_error *err, const char *what, const char *value)
{
  return spec_error (err, "%s `%s`", what, value);
}

static int
parse_ulong (const char *s, unsigned long *out)
{
  char *end;
  if (*s == '\0' || *s == '-')
    return -1;
  errno = 0;
  *out = strtoul (s, &end, 10);
  return (errno != 0 || *end != '\0') ? -1 : 0;
}

static int
parse_id (const char *s, unsigned int *out)
{
  unsigned long v;
  if (parse_ulong (s, &v) < 0 || v >= UINT_MAX)
    return -1;
  *out = (unsigned int)v;
  return 0;
}

static int
parse_bool (const char *value, bool *out, const char *key, struct init_error *err)
{
  if (strcmp (value, "0") != 0 && strcmp (value, "1") != 0)
    return spec_error (err, "%s must be 0 or 1, not `%s`", key, value);
  *out = value[0] == '1';
  return 0;
}

static int
set_rootfs (struct init_spec *spec, char *value, struct init_error *err)
{
  if (value[0] != '/')
    return bad (err, "rootfs must be an absolute path:", value);
  spec->rootfs = value;
  return 0;
}

static int
set_overlay_dir (struct init_spec *spec, char *value, struct init_error *err)
{
  if (value[0] != '/')
    return bad (err, "overlay.dir must be an absolute path:", value);
  spec->overlay_dir = value;
  return 0;
}

static int
add_overlay_lower (struct init_spec *spec, char *value, struct init_error *err)
{
  if (value[0] == '\0' || strpbrk (value, ":,") != NULL)
    return bad (err, "overlay.lower must be non-empty without `:` or `,`:", value);
  spec->overlay_lower[spec->n_overlay_lower++] = value;
  return 0;
}

static int
set_overlay_path (const char **slot, char *value, const char *key, struct init_error *err)
{
  if (value[0] == '\0' || strpbrk (value, ":,") != NULL)
    return spec_error (err, "%s must be non-empty without `:` or `,`: `%s`", key, value);
  *slot = value;
  return 0;
}

static int
set_overlay_upper (struct init_spec *spec, char *value, struct init_error *err)
{
  return set_overlay_path (&spec->overlay_upper, value, "overlay.upper", err);
}

static int
set_overlay_work (struct init_spec *spec, char *value, struct init_error *err)
{
  return set_overlay_path (&spec->overlay_work, value, "overlay.work", err);
}

static int
set_overlay_target (struct init_spec *spec, char *value, struct init_error *err)
{
  return set_overlay_path (&spec->overlay_target, value, "overlay.target", err);
}

static int
set_readonly (struct init_spec *spec, char *value, struct init_error *err)
{
  return parse_bool (value, &spec->readonly, "readonly", err);
}

static int
set_no_new_privs (struct init_spec *spec, char *value, struct init_error *err)
{
  return parse_bool (value, &spec->no_new_privs, "no_new_privs", err);
}

static int
set_init (struct init_spec *spec, char *value, struct init_error *err)
{
  return parse_bool (value, &spec->init, "init", err);
}

static int
set_hostname (struct init_spec *spec, char *value, struct init_error *err)
{
  if (value[0] == '\0' || strlen (value) > 64)
    return bad (err, "hostname must be 1 to 64 bytes:", value);
  spec->hostname = value;
  return 0;
}

static int
set_cwd (struct init_spec *spec, char *value, struct init_error *err)
{
  if (value[0] != '/')
    return bad (err, "cwd must be an absolute path:", value);
  spec->cwd = value;
  return 0;
}

static int
add_arg (struct init_spec *spec, char *value, struct init_error *err)
{
  (void)err;
  spec->argv[spec->argc++] = value;
  return 0;
}

static int
add_env (struct init_spec *spec, char *value, struct init_error *err)
{
  if (value[0] == '=' || strchr (value, '=') == NULL)
    return bad (err, "env must be K=V:", value);
  spec->envp[spec->envc++] = value;
  return 0;
}

static int
set_uid (struct init_spec *spec, char *value, struct init_error *err)
{
  return parse_id (value, &spec->uid) < 0 ? bad (err, "bad uid", value) : 0;
}

static int
set_gid (struct init_spec *spec, char *value, struct init_error *err)
{
  return parse_id (value, &spec->gid) < 0 ? bad (err, "bad gid", value) : 0;
}

static int
add_group (struct init_spec *spec, char *value, struct init_error *err)
{
  if (parse_id (value, &spec->groups[spec->n_groups]) < 0)
    return bad (err, "bad group", value);
  spec->n_groups++;
  return 0;
}

static const struct
{
  const char *name;
  int flag;
} namespaces[] = {
  { "mount", CLONE_NEWNS },  { "pid", CLONE_NEWPID }, { "uts", CLONE_NEWUTS },
  { "ipc", CLONE_NEWIPC },   { "net", CLONE_NEWNET }, { "cgroup", CLONE_NEWCGROUP },
  { "user", CLONE_NEWUSER },
};

static int
add_ns (struct init_spec *spec, char *value, struct init_error *err)
{
  for (size_t i = 0; i < sizeof namespaces / sizeof namespaces[0]; i++)
    if (strcmp (namespaces[i].name, value) == 0)
      {
        if (spec->ns_flags & namespaces[i].flag)
          return bad (err, "namespace given twice:", value);
        spec->ns_flags |= namespaces[i].flag;
        return 0;
      }
  return bad (err, "unknown namespace", value);
}

static int
parse_id_map (char *value, struct id_map *map, struct init_error *err)
{
  char inner[32], outer[32], count[32], extra;
  if (sscanf (value, "%31s %31s %31s %c", inner, outer, count, &extra) != 3
      || parse_ulong (inner, &map->inner) < 0 || parse_ulong (outer, &map->outer) < 0
      || parse_ulong (count, &map->count) < 0 || map->count == 0)
    return bad (err, "id map must be `CONTAINER HOST COUNT`, not", value);
  return 0;
}

static int
add_uidmap (struct init_spec *spec, char *value, struct init_error *err)
{
  return parse_id_map (value, &spec->uidmap[spec->n_uidmap++], err);
}

static int
add_gidmap (struct init_spec *spec, char *value, struct init_error *err)
{
  return parse_id_map (value, &spec->gidmap[spec->n_gidmap++], err);
}

static int
add_cap (struct init_spec *spec, char *value, struct init_error *err)
{
  int cap = cap_from_name (value);
  if (cap < 0)
    return bad (err, "unknown capability", value);
  spec->caps |= UINT64_C (1) << cap;
  return 0;
}

static const struct
{
  const char *name;
  int resource;
} rlimit_names[] = {
  { "RLIMIT_AS", RLIMIT_AS },
  { "RLIMIT_CORE", RLIMIT_CORE },
  { "RLIMIT_CPU", RLIMIT_CPU },
  { "RLIMIT_DATA", RLIMIT_DATA },
  { "RLIMIT_FSIZE", RLIMIT_FSIZE },
  { "RLIMIT_LOCKS", RLIMIT_LOCKS },
  { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
  { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
  { "RLIMIT_NICE", RLIMIT_NICE },
  { "RLIMIT_NOFILE", RLIMIT_NOFILE },
  { "RLIMIT_NPROC", RLIMIT_NPROC },
  { "RLIMIT_RSS", RLIMIT_RSS },
  { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
  { "RLIMIT_RTTIME", RLIMIT_RTTIME },
  { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
  { "RLIMIT_STACK", RLIMIT_STACK },
};

static int
parse_rlim (const char *s, rlim_t *out)
{
  unsigned long v;
  if (strcmp (s, "unlimited") == 0 || strcmp (s, "-1") == 0)
    {
      *out = RLIM_INFINITY;
      return 0;
    }
  if (parse_ulong (s, &v) < 0)
    return -1;
  *out = (rlim_t)v;
  return 0;
}

static int
add_rlimit (struct init_spec *spec, char *value, struct init_error *err)
{
  struct rlimit_entry *r = &spec->rlimits[spec->n_rlimits];
  char *soft = strchr (value, ':'), *hard = soft ? strchr (soft + 1, ':') : NULL;
  if (hard == NULL)
    return bad (err, "rlimit must be NAME:SOFT:HARD, not", value);
  *soft++ = '\0';
  *hard++ = '\0';
  r->name = value;
  r->resource = -1;
  for (size_t i = 0; i < sizeof rlimit_names / sizeof rlimit_names[0]; i++)
    if (strcmp (rlimit_names[i].name, value) == 0)
      r->resource = rlimit_names[i].resource;
  if (r->resource < 0)
    return bad (err, "unknown rlimit", value);
  if (parse_rlim (soft, &r->soft) < 0 || parse_rlim (hard, &r->hard) < 0 || r->soft > r->hard)
    return spec_error (err, "rlimit %s: bad or inverted limits `%s:%s`", value, soft, hard);
  spec->n_rlimits++;
  return 0;
}

static int
add_abs_path (const char **list, size_t *n, char *value, const char *key, struct init_error *err)
{
  if (value[0] != '/')
    return spec_error (err, "%s must be an absolute path: `%s`", key, value);
  list[(*n)++] = value;
  return 0;
}

static int
add_mask (struct init_spec *spec, char *value, struct init_error *err)
{
  return add_abs_path (spec->masks, &spec->n_masks, value, "mask", err);
}

static int
add_readonly_path (struct init_spec *spec, char *value, struct init_error *err)
{
  return add_abs_path (spec->readonly_paths, &spec->n_readonly_paths, value, "readonly_path", err);
}

static int
add_cgroup (struct init_spec *spec, char *value, struct init_error *err)
{
  return add_abs_path (spec->cgroups, &spec->n_cgroups, value, "cgroup", err);
}

static int
set_device_filter (struct init_spec *spec, char *value, struct init_error *err)
{
  if (value[0] != '/')
    return bad (err, "device_filter must be an absolute path:", value);
  spec->device_filter = value;
  return 0;
}

static int
add_device_allow (struct init_spec *spec, char *value, struct init_error *err)
{
  if (parse_device_rule (value, &spec->device_rules[spec->n_device_rules]) < 0)
    return bad (err,
                "device_allow must be `TYPE MAJOR:MINOR ACCESS` (a|c|b, number or *, rwm):", value);
  spec->n_device_rules++;
  return 0;
}

static int
set_seccomp (struct init_spec *spec, char *value, struct init_error *err)
{
  if (strcmp (value, "default") != 0 && strcmp (value, "none") != 0)
    return bad (err, "seccomp must be `default` or `none`, not", value);
  spec->seccomp = strcmp (value, "default") == 0;
  return 0;
}

static int
set_join (struct init_spec *spec, char *value, struct init_error *err)
{
  unsigned long pid;
  if (parse_ulong (value, &pid) < 0 || pid < 2 || pid > INT_MAX)
    return bad (err, "join must be a host pid above 1, not", value);
  spec->join = (pid_t)pid;
  return 0;
}

static int
set_start_fifo (struct init_spec *spec, char *value, struct init_error *err)
{
  if (value[0] != '/')
    return bad (err, "start_fifo must be an absolute path:", value);
  spec->start_fifo = value;
  return 0;
}

static int
set_net_sync (struct init_spec *spec, char *value, struct init_error *err)
{
  if (value[0] != '/')
    return bad (err, "net_sync must be an absolute path:", value);
  spec->net_sync = value;
  return 0;
}

int parse_mount (char *value, struct mount_entry *m, struct init_error *err);

static int
add_mount (struct init_spec *spec, char *value, struct init_error *err)
{
  if (parse_mount (value, &spec->mounts[spec->n_mounts], err) < 0)
    return -1;
  spec->n_mounts++;
  return 0;
}

static const struct key_entry keys[] = {
  { "rootfs", set_rootfs, false },
  { "overlay.dir", set_overlay_dir, false },
  { "overlay.lower", add_overlay_lower, true },
  { "overlay.upper", set_overlay_upper, false },
  { "overlay.work", set_overlay_work, false },
  { "overlay.target", set_overlay_target, false },
  { "readonly", set_readonly, false },
  { "hostname", set_hostname, false },
  { "cwd", set_cwd, false },
  { "arg", add_arg, true },
  { "env", add_env, true },
  { "uid", set_uid, false },
  { "gid", set_gid, false },
  { "group", add_group, true },
  { "ns", add_ns, true },
  { "uidmap", add_uidmap, true },
  { "gidmap", add_gidmap, true },
  { "cap", add_cap, true },
  { "no_new_privs", set_no_new_privs, false },
  { "rlimit", add_rlimit, true },
  { "mask", add_mask, true },
  { "readonly_path", add_readonly_path, true },
  { "mount", add_mount, true },
  { "cgroup", add_cgroup, true },
  { "device_filter", set_device_filter, false },
  { "device_allow", add_device_allow, true },
  { "seccomp", set_seccomp, false },
  { "init", set_init, false },
  { "join", set_join, false },
  { "start_fifo", set_start_fifo, false },
  { "net_sync", set_net_sync, false },
};

#define N_KEYS (sizeof keys / sizeof keys[0])

static int
read_all (int fd, struct init_spec *spec, size_t *len, struct init_error *err)
{
  size_t cap = 65536;
  spec->buf = malloc (cap + 1);
  *len = 0;
  if (spec->buf == NULL)
    return make_error (err, ENOMEM, "read spec");
  for (;;)
    {
      ssize_t n = read (fd, spec->buf + *len, cap - *len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return make_error (err, errno, "read spec from fd %d", fd);
      if (n == 0)
        break;
      *len += (size_t)n;
      if (*len == cap)
        {
          char *bigger;
          if (cap * 2 > MAX_SPEC_BYTES)
            return make_error (err, E2BIG, "spec larger than %d bytes", MAX_SPEC_BYTES);
          cap *= 2;
          bigger = realloc (spec->buf, cap + 1);
          if (bigger == NULL)
            return make_error (err, ENOMEM, "read spec");
          spec->buf = bigger;
        }
    }
  spec->buf[*len] = '\0';
  return 0;
}

static size_t
count_records (const char *buf, size_t len)
{
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    n += buf[i] == '\0';
  return n + 1;
}

/* Every list gets room for all records: simple, and the spec is small.  */
static int
alloc_lists (struct init_spec *spec, size_t n, struct init_error *err)
{
  spec->overlay_lower = calloc (n, sizeof (char *));
  spec->argv = calloc (n + 1, sizeof (char *));
  spec->envp = calloc (n + 1, sizeof (char *));
  spec->groups = calloc (n, sizeof (gid_t));
  spec->uidmap = calloc (n, sizeof (struct id_map));
  spec->gidmap = calloc (n, sizeof (struct id_map));
  spec->rlimits = calloc (n, sizeof (struct rlimit_entry));
  spec->masks = calloc (n, sizeof (char *));
  spec->readonly_paths = calloc (n, sizeof (char *));
  spec->mounts = calloc (n, sizeof (struct mount_entry));
  spec->cgroups = calloc (n, sizeof (char *));
  spec->device_rules = calloc (n, sizeof (struct device_rule));
  if (!spec->overlay_lower || !spec->argv || !spec->envp || !spec->groups || !spec->uidmap
      || !spec->gidmap || !spec->rlimits || !spec->masks || !spec->readonly_paths || !spec->mounts
      || !spec->cgroups || !spec->device_rules)
    return make_error (err, ENOMEM, "allocate spec");
  return 0;
}

static int
parse_record (struct init_spec *spec, char *record, bool seen[N_KEYS], struct init_error *err)
{
  char *eq = strchr (record, '=');
  if (eq == NULL)
    return bad (err, "record is not key=value:", record);
  *eq = '\0';
  for (size_t i = 0; i < N_KEYS; i++)
    if (strcmp (keys[i].key, record) == 0)
      {
        if (seen[i] && !keys[i].repeated)
          return bad (err, "key given twice:", record);
        seen[i] = true;
        return keys[i].parse (spec, eq + 1, err);
      }
  return bad (err, "unknown key", record);
}

int validate_spec (struct init_spec *spec, struct init_error *err);

int
read_spec (int fd, struct init_spec *spec, struct init_error *err)
{
  bool seen[N_KEYS] = { false };
  size_t len;

  memset (spec, 0, sizeof *spec);
  spec->seccomp = true;
  spec->cwd = "/";
  if (read_all (fd, spec, &len, err) < 0
      || alloc_lists (spec, count_records (spec->buf, len), err) < 0)
    return -1;
  for (size_t off = 0, n; off < len; off += n + 1)
    {
      n = strlen (spec->buf + off); /* before parse_record splits it */
      if (n == 0)
        continue; /* tolerate an empty record, e.g. a trailing NUL */
      if (parse_record (spec, spec->buf + off, seen, err) < 0)
        return -1;
    }
  return validate_spec (spec, err);
}
