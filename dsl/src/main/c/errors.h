/* minke-init: errors, the report channel and cleanup helpers.  */
#ifndef MINKE_ERRORS_H
#define MINKE_ERRORS_H

#include <stdlib.h>
#include <unistd.h>

/* The fixed file descriptors of the Java <-> minke-init protocol.  */
#define SPEC_FD   3
#define REPORT_FD 4

/* Exit codes, as Docker uses them.  */
#define EXIT_RUNTIME_FAILED 125
#define EXIT_CANNOT_EXECUTE 126
#define EXIT_NOT_FOUND      127

struct init_error
{
  int errnum; /* errno of the failing call, EINVAL for a bad spec */
  int status; /* exit status minke-init should end with */
  char msg[1024];
};

/* Fill ERR and return -1.  When ERRNUM is not 0, ": strerror" is appended.  */
int make_error (struct init_error *err, int errnum, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

/* A bad spec: errno EINVAL, no strerror text.  Returns -1.  */
int spec_error (struct init_error *err, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

/* Write one line to the report fd; newlines inside are replaced.  */
void report_line (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));
void report_error (const char *step, const struct init_error *err);

static inline void
cleanup_closep (int *fd)
{
  if (*fd >= 0)
    close (*fd);
}

static inline void
cleanup_freep (void *p)
{
  free (*(void **)p);
}

#define cleanup_close __attribute__ ((cleanup (cleanup_closep)))
#define cleanup_free  __attribute__ ((cleanup (cleanup_freep)))

/* Move an fd out of a cleanup_close variable.  */
static inline int
steal_fd (int *fd)
{
  int ret = *fd;
  *fd = -1;
  return ret;
}

#endif
