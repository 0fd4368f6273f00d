/* Build-time only: the default seccomp profile built with libseccomp
   (profile.c), for seccomp-gen and seccomp-check.  */
#ifndef MINKE_HOST_PROFILE_H
#define MINKE_HOST_PROFILE_H

#include <linux/filter.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* The profile as a libseccomp context (release it with seccomp_release), or
   NULL after printing why.  */
scmp_filter_ctx profile_build (void);

/* The ABIs the filter covers, for the generated header's comment.  */
const char *profile_arches (void);

/* The BPF program libseccomp generates for CTX (malloc'd, LEN instructions):
   the very program seccomp_load would load.  Returns 0 or -errno.  */
int profile_export (scmp_filter_ctx ctx, struct sock_filter **prog, size_t *len);

#endif
