/* minke-init: the cgroup v2 device filter (device_filter.c).  */
#ifndef MINKE_DEVICE_FILTER_H
#define MINKE_DEVICE_FILTER_H

#include <linux/bpf.h>
#include <stddef.h>

#include "errors.h"

/* A major or minor number that matches any.  */
#define DEVICE_ANY (-1L)

/* One devices.allow rule, e.g. "c 1:3 rwm".  */
struct device_rule
{
  unsigned type;   /* BPF_DEVCG_DEV_CHAR or _BLOCK; 0 for any */
  long major;      /* or DEVICE_ANY */
  long minor;      /* or DEVICE_ANY */
  unsigned access; /* BPF_DEVCG_ACC_* bits */
};

/* Instructions build_device_filter may write for N rules: a 6-instruction
   prologue, at most 6 per rule and 2 for the final deny.  */
#define DEVICE_FILTER_MAX_INSNS(n) (6 + 6 * (n) + 2)

/* Parses TEXT ("TYPE MAJOR:MINOR ACCESS").  Returns 0, or -1 when malformed.  */
int parse_device_rule (const char *text, struct device_rule *rule);

/* Writes the program that allows what one of RULES allows and denies the
   rest into OUT (room for DEVICE_FILTER_MAX_INSNS).  Returns its length.  */
size_t build_device_filter (const struct device_rule *rules, size_t n_rules, struct bpf_insn *out);

/* Loads that program.  Returns its fd, or -1 with ERR set.  */
int load_device_filter (const struct device_rule *rules, size_t n_rules, struct init_error *err);

#endif
