/* minke-init: start_fifo=PATH, the wait between `create` and `start` of an
   OCI runtime (runc's exec.fifo).  The container opens the FIFO as an
   O_PATH fd while the host's paths are still visible, does all its setup,
   reports its pid, and then reopens the FIFO for writing: that open blocks
   until `start` opens it for reading.  The container writes one byte, so a
   reader can tell "released" from "died before the open", and execs; the
   write end is close-on-exec, so the reader sees EOF once the exec is done.  */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "steps.h"

/* Before pivot_root: afterwards the host path is out of reach.  */
STEP (open_start_fifo)
{
  struct stat st;
  int fd;

  if (spec->start_fifo == NULL)
    return 0;
  fd = open (spec->start_fifo, O_PATH | O_CLOEXEC);
  if (fd < 0)
    return make_error (err, errno, "open start_fifo `%s`", spec->start_fifo);
  run->start_fifo_fd = fd;
  if (fstat (fd, &st) < 0)
    return make_error (err, errno, "fstat start_fifo `%s`", spec->start_fifo);
  if (!S_ISFIFO (st.st_mode))
    return make_error (err, EINVAL, "start_fifo `%s` is not a FIFO", spec->start_fifo);
  return 0;
}

/* After the pid line, just before exec: block until `start` reads.  */
STEP (wait_for_start)
{
  char path[32];
  int fd;
  (void)spec;

  if (run->start_fifo_fd < 0)
    return 0;
  fd_path (run->start_fifo_fd, path);
  do
    fd = open (path, O_WRONLY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    return make_error (err, errno, "open start_fifo for writing");
  close (run->start_fifo_fd);
  run->start_fifo_fd = fd;
  /* EPIPE: the reader is gone already, which is its business.  */
  if (write (fd, "0", 1) != 1 && errno != EPIPE)
    return make_error (err, errno, "write to start_fifo");
  return 0;
}
