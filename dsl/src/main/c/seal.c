/* minke-init: run from a sealed copy of itself (CVE-2019-5736).  A process in
   the container could otherwise reach the host's minke-init binary through
   /proc/PID/exe and overwrite it.  The first start copies the binary into a
   memfd, seals it against writes and re-execs it; the copy sees its seals and
   goes on.  fds 3 and 4 are not close-on-exec yet and survive the exec.  */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>

#include "steps.h"

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

static bool
running_sealed (int self)
{
  int seals = fcntl (self, F_GET_SEALS);
  return seals >= 0 && (seals & SEALS) == SEALS;
}

static int
copy_all (int from, int to, struct init_error *err)
{
  struct stat st;
  off_t done = 0;

  if (fstat (from, &st) < 0)
    return make_error (err, errno, "fstat `/proc/self/exe`");
  while (done < st.st_size)
    {
      ssize_t n = sendfile (to, from, &done, (size_t)(st.st_size - done));
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return make_error (err, n < 0 ? errno : EIO, "copy `/proc/self/exe` to a memfd");
    }
  return 0;
}

/* Returns 0 when already sealed; on success it does not return.  */
int
reexec_sealed (char **argv, char **envp, struct init_error *err)
{
  cleanup_close int self = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  cleanup_close int copy = -1;

  if (self < 0)
    return make_error (err, errno, "open `/proc/self/exe`");
  if (running_sealed (self))
    return 0;
  copy = memfd_create ("minke-init", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (copy < 0)
    return make_error (err, errno, "memfd_create");
  if (copy_all (self, copy, err) < 0)
    return -1;
  if (fcntl (copy, F_ADD_SEALS, SEALS) < 0)
    return make_error (err, errno, "seal the memfd copy");
  fexecve (copy, argv, envp);
  return make_error (err, errno, "fexecve the sealed copy");
}
