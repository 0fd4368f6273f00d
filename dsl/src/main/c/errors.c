/* minke-init: error values and the report channel (fd 4).  */
#define _GNU_SOURCE
#include "errors.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
make_error (struct init_error *err, int errnum, const char *fmt, ...)
{
  va_list ap;
  size_t len;

  va_start (ap, fmt);
  vsnprintf (err->msg, sizeof err->msg, fmt, ap);
  va_end (ap);
  len = strlen (err->msg);
  if (errnum != 0 && len < sizeof err->msg)
    snprintf (err->msg + len, sizeof err->msg - len, ": %s", strerror (errnum));
  err->errnum = errnum;
  if (err->status == 0)
    err->status = EXIT_RUNTIME_FAILED;
  return -1;
}

int
spec_error (struct init_error *err, const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  vsnprintf (err->msg, sizeof err->msg, fmt, ap);
  va_end (ap);
  err->errnum = EINVAL;
  err->status = EXIT_RUNTIME_FAILED;
  return -1;
}

static void
write_all (int fd, const char *buf, size_t len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, buf, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return; /* Nobody listens: the exit status still tells.  */
      buf += n;
      len -= (size_t)n;
    }
}

/* One write per line, so lines from the monitor and the container never mix.  */
void
report_line (const char *fmt, ...)
{
  char line[1200];
  va_list ap;
  int saved_errno = errno;
  size_t len;

  va_start (ap, fmt);
  vsnprintf (line, sizeof line - 1, fmt, ap);
  va_end (ap);
  for (char *p = line; *p; p++)
    if (*p == '\n' || *p == '\r')
      *p = ' ';
  len = strlen (line);
  line[len++] = '\n';
  write_all (REPORT_FD, line, len);
  errno = saved_errno;
}

void
report_error (const char *step, const struct init_error *err)
{
  report_line ("error %s %d %s", step, err->errnum, err->msg);
}
