/* minke-init: `--spec FILE --report FILE`.  A caller that cannot place fds 3
   and 4 itself (Java's ProcessBuilder) names the files instead, and
   minke-init opens them onto fds 3 and 4 as `3<SPEC 4>REPORT` would: the spec
   read-only, the report created or truncated (mode 0666 less the umask, as a
   shell makes it).  No arguments: fds 3 and 4 must be open already (the fd
   protocol, README.md).  This saves starting a shell for each container.  */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "steps.h"

/* Opens PATH onto fd TARGET (not close-on-exec, so the sealed re-exec keeps
   it).  */
static int
open_onto (const char *path, int flags, int target)
{
  int fd = open (path, flags | O_CLOEXEC, 0666);

  if (fd < 0)
    return -1;
  if (fd != target)
    {
      if (dup2 (fd, target) < 0)
        {
          int saved = errno;
          close (fd);
          errno = saved;
          return -1;
        }
      close (fd);
    }
  else if (fcntl (fd, F_SETFD, 0) < 0)
    return -1;
  return 0;
}

static int
usage (const char *why)
{
  fprintf (stderr,
           "minke-init: %s\nusage: minke-init --spec SPEC_FILE --report REPORT_FILE\n"
           "   or: minke-init 3<SPEC_FILE 4>REPORT_FILE\n",
           why);
  return -1;
}

int
open_protocol_files (int argc, char **argv, struct init_error *err)
{
  const char *spec = NULL, *report = NULL;

  if (argc <= 1)
    return 0;
  for (int i = 1; i < argc; i += 2)
    {
      const char **slot = strcmp (argv[i], "--spec") == 0     ? &spec
                          : strcmp (argv[i], "--report") == 0 ? &report
                                                              : NULL;
      if (slot == NULL)
        return usage ("unknown argument");
      if (i + 1 >= argc || *slot != NULL)
        return usage (i + 1 >= argc ? "an option needs a file" : "an option is given twice");
      *slot = argv[i + 1];
    }
  if (spec == NULL || report == NULL)
    return usage ("both --spec and --report are needed");
  /* The report first: from then on errors have a place to go.  */
  if (open_onto (report, O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY, REPORT_FD) < 0)
    {
      fprintf (stderr, "minke-init: cannot open the report `%s`: %s\n", report, strerror (errno));
      return -1;
    }
  if (open_onto (spec, O_RDONLY | O_NOCTTY, SPEC_FD) < 0)
    {
      make_error (err, errno, "open the spec `%s`", spec);
      report_error ("spec", err);
      return -1;
    }
  /* The sealed copy finds both fds in place and must not open (and truncate)
     the files again: it gets argv[0] alone.  */
  argv[1] = NULL;
  return 0;
}
