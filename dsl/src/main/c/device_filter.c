/* minke-init: the device filter on cgroup v2.  A container keeps CAP_MKNOD, so
   without a filter it could make and open any host device (/dev/kvm, a disk).
   cgroup v1 has the devices controller (Java writes devices.allow); cgroup v2
   has none: the same rules are a BPF program of type CGROUP_DEVICE attached to
   the container's cgroup directory, which the kernel runs on every open and
   mknod of a device node by a process in that cgroup (or below).  */
#define _GNU_SOURCE
#include "device_filter.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "steps.h"

/* Registers: r1 holds the context on entry (struct bpf_cgroup_dev_ctx);
   the prologue leaves the request in r2-r5 and r0 is the verdict.  */
enum
{
  R0 = 0,
  R1 = 1,
  R_ACCESS = 2, /* BPF_DEVCG_ACC_* bits of the request */
  R_TYPE = 3,   /* BPF_DEVCG_DEV_BLOCK or _CHAR */
  R_MAJOR = 4,
  R_MINOR = 5,
};

static struct bpf_insn
insn (__u8 code, __u8 dst, __u8 src, __s16 off, __s32 imm)
{
  return (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm };
}

static int
parse_number (const char *s, size_t len, long max, long *out)
{
  long v = 0;

  if (len == 1 && s[0] == '*')
    {
      *out = DEVICE_ANY;
      return 0;
    }
  if (len == 0 || len > 7)
    return -1;
  for (size_t i = 0; i < len; i++)
    {
      if (s[i] < '0' || s[i] > '9')
        return -1;
      v = v * 10 + (s[i] - '0');
    }
  if (v > max)
    return -1;
  *out = v;
  return 0;
}

/* "TYPE MAJOR:MINOR ACCESS" as in devices.allow: TYPE a (any), c or b; MAJOR and
   MINOR a number or *; ACCESS a non-empty set of r, w, m.  */
int
parse_device_rule (const char *text, struct device_rule *rule)
{
  const char *numbers = text + 2, *colon, *space;

  if ((text[0] != 'a' && text[0] != 'c' && text[0] != 'b') || text[1] != ' ')
    return -1;
  colon = strchr (numbers, ':');
  space = colon ? strchr (colon, ' ') : NULL;
  /* 4095 and 2^20 - 1: the largest major and minor numbers (MAJOR/MINORBITS).  */
  if (space == NULL || parse_number (numbers, (size_t)(colon - numbers), 4095, &rule->major) < 0
      || parse_number (colon + 1, (size_t)(space - colon - 1), 1048575, &rule->minor) < 0)
    return -1;
  rule->type = text[0] == 'a' ? 0 : text[0] == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK;
  rule->access = 0;
  for (const char *p = space + 1; *p; p++)
    {
      unsigned bit = *p == 'r'   ? BPF_DEVCG_ACC_READ
                     : *p == 'w' ? BPF_DEVCG_ACC_WRITE
                     : *p == 'm' ? BPF_DEVCG_ACC_MKNOD
                                 : 0;
      if (bit == 0 || (rule->access & bit))
        return -1;
      rule->access |= bit;
    }
  return rule->access == 0 ? -1 : 0;
}

/* One rule: each condition that does not hold jumps past the rule; when all
   hold, the request is allowed.  Returns the count written.  */
static size_t
emit_rule (const struct device_rule *rule, struct bpf_insn *out)
{
  const unsigned all = BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE;
  /* An open asks for read and write at once (O_RDWR): every bit asked must be
     allowed, so any bit outside the rule's access skips it (JSET).  */
  const struct
  {
    bool present;
    __u8 op, reg;
    __s32 imm;
  } conditions[] = {
    { rule->type != 0, BPF_JNE, R_TYPE, (__s32)rule->type },
    { rule->major != DEVICE_ANY, BPF_JNE, R_MAJOR, (__s32)rule->major },
    { rule->minor != DEVICE_ANY, BPF_JNE, R_MINOR, (__s32)rule->minor },
    { rule->access != all, BPF_JSET, R_ACCESS, (__s32)(all & ~rule->access) },
  };
  size_t n = 0, left = 0;

  for (size_t i = 0; i < sizeof conditions / sizeof conditions[0]; i++)
    left += conditions[i].present;
  for (size_t i = 0; i < sizeof conditions / sizeof conditions[0]; i++)
    if (conditions[i].present)
      {
        /* Past the conditions still to come and the 2 instructions that allow.  */
        __s16 past_rule = (__s16)(--left + 2);
        out[n++] = insn (BPF_JMP | conditions[i].op | BPF_K, conditions[i].reg, 0, past_rule,
                         conditions[i].imm);
      }
  out[n++] = insn (BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 0, 1);
  out[n++] = insn (BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
  return n;
}

size_t
build_device_filter (const struct device_rule *rules, size_t n_rules, struct bpf_insn *out)
{
  size_t n = 0;

  /* access_type holds the device type in its low 16 bits and the access in the
     high 16 (uapi linux/bpf.h, struct bpf_cgroup_dev_ctx).  */
  out[n++] = insn (BPF_LDX | BPF_MEM | BPF_W, R_ACCESS, R1, 0, 0);
  out[n++] = insn (BPF_ALU64 | BPF_MOV | BPF_X, R_TYPE, R_ACCESS, 0, 0);
  out[n++] = insn (BPF_ALU | BPF_AND | BPF_K, R_TYPE, 0, 0, 0xffff);
  out[n++] = insn (BPF_ALU | BPF_RSH | BPF_K, R_ACCESS, 0, 0, 16);
  out[n++] = insn (BPF_LDX | BPF_MEM | BPF_W, R_MAJOR, R1, 4, 0);
  out[n++] = insn (BPF_LDX | BPF_MEM | BPF_W, R_MINOR, R1, 8, 0);
  for (size_t i = 0; i < n_rules; i++)
    {
      size_t len = emit_rule (&rules[i], out + n);
      n += len;
      /* A rule without conditions allows everything; the verifier refuses the
         unreachable instructions that would follow it.  */
      if (len == 2)
        return n;
    }
  /* Everything no rule allowed is denied (EPERM to the caller).  */
  out[n++] = insn (BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 0, 0);
  out[n++] = insn (BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
  return n;
}

static int
bpf (int cmd, union bpf_attr *attr)
{
  return (int)syscall (SYS_bpf, cmd, attr, sizeof *attr);
}

/* The verifier's first complaint, for an error message; "" when it says nothing.  */
static void
verifier_log (const struct bpf_insn *insns, size_t n, const char *license, char *log, size_t size)
{
  union bpf_attr attr;
  int fd;

  memset (&attr, 0, sizeof attr);
  log[0] = '\0';
  attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  attr.insns = (__u64)(uintptr_t)insns;
  attr.insn_cnt = (__u32)n;
  attr.license = (__u64)(uintptr_t)license;
  attr.log_buf = (__u64)(uintptr_t)log;
  attr.log_size = (__u32)size;
  attr.log_level = 1;
  fd = bpf (BPF_PROG_LOAD, &attr);
  if (fd >= 0)
    close (fd);
  log[strcspn (log, "\n")] = '\0';
}

int
load_device_filter (const struct device_rule *rules, size_t n_rules, struct init_error *err)
{
  /* The program calls no kernel helper, so no GPL-only one either: the license
     string is recorded, not checked.  */
  static const char license[] = "none";
  size_t max = DEVICE_FILTER_MAX_INSNS (n_rules), n;
  cleanup_free struct bpf_insn *insns = calloc (max, sizeof *insns);
  union bpf_attr attr;
  int fd;

  if (insns == NULL)
    return make_error (err, ENOMEM, "device filter");
  n = build_device_filter (rules, n_rules, insns);
  memset (&attr, 0, sizeof attr);
  attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  attr.insns = (__u64)(uintptr_t)insns;
  attr.insn_cnt = (__u32)n;
  attr.license = (__u64)(uintptr_t)license;
  fd = bpf (BPF_PROG_LOAD, &attr);
  if (fd < 0)
    {
      int saved_errno = errno;
      char log[4096];
      verifier_log (insns, n, license, log, sizeof log);
      return make_error (err, saved_errno, "bpf BPF_PROG_LOAD of the device filter (%zu insns%s%s)",
                         n, log[0] ? "; verifier: " : "", log);
    }
  return fd;
}

/* Before the monitor joins the cgroup, so no process of the container ever
   runs in it unfiltered.  The kernel keeps the program attached until the
   cgroup is removed: the fds can go.  */
STEP (attach_device_filter)
{
  cleanup_close int prog = -1;
  cleanup_close int dir = -1;
  union bpf_attr attr;
  (void)run;

  if (spec->device_filter == NULL)
    return 0;
  prog = load_device_filter (spec->device_rules, spec->n_device_rules, err);
  if (prog < 0)
    return -1;
  dir = open (spec->device_filter, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  if (dir < 0)
    return make_error (err, errno, "open `%s`", spec->device_filter);
  memset (&attr, 0, sizeof attr);
  attr.target_fd = (__u32)dir;
  attr.attach_bpf_fd = (__u32)prog;
  attr.attach_type = BPF_CGROUP_DEVICE;
  /* ALLOW_MULTI: the programs of parent cgroups (systemd's, say) still run too,
     and a device is opened only when every one of them allows it.  */
  attr.attach_flags = BPF_F_ALLOW_MULTI;
  if (bpf (BPF_PROG_ATTACH, &attr) < 0)
    return make_error (err, errno, "bpf BPF_PROG_ATTACH of the device filter to `%s`",
                       spec->device_filter);
  return 0;
}
