/* minke-init: the network namespace.  Two small steps:

   - bring_up_loopback (container side, right after the release): in a new
     network namespace the kernel creates `lo` DOWN; Docker's containers,
     even with --network none, have it UP.  One SIOCSIFFLAGS ioctl.
   - wait_for_network (monitor side, after the id maps, before the release):
     with net_sync=PATH the monitor writes `netns PID` to the report and
     blocks until Java, having set up the network in /proc/PID/ns/net (veth,
     address, routes), writes one byte `1` to the FIFO PATH (opened O_RDWR
     before the report line, so the byte can never be written too early).  The container
     is still parked in its sync read then, so its command never runs
     without its network.  Any other byte: Java gave up (a port in
     use, no address left), and the start fails with `error net_sync`.  */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "steps.h"

/* How long Java may take to set up the network before the start fails.  */
#define NET_SYNC_SECONDS 60

STEP (bring_up_loopback)
{
  struct ifreq ifr;
  cleanup_close int fd = -1;
  (void)run;

  if (!(spec->ns_flags & CLONE_NEWNET))
    return 0;
  fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return make_error (err, errno, "socket for `lo`");
  memset (&ifr, 0, sizeof ifr);
  strncpy (ifr.ifr_name, "lo", IFNAMSIZ - 1);
  if (ioctl (fd, SIOCGIFFLAGS, &ifr) < 0)
    return make_error (err, errno, "SIOCGIFFLAGS `lo`");
  ifr.ifr_flags |= IFF_UP;
  if (ioctl (fd, SIOCSIFFLAGS, &ifr) < 0)
    return make_error (err, errno, "SIOCSIFFLAGS `lo` up");
  return 0;
}

static void
on_alarm (int sig)
{
  (void)sig; /* only interrupts the blocking open/read */
}

STEP (wait_for_network)
{
  struct sigaction sa, old;
  struct stat st;
  char go = 0;
  ssize_t n;
  cleanup_close int fd = -1;

  if (spec->net_sync == NULL)
    return 0;
  /* O_RDWR: never blocks on a FIFO, and keeps the pipe open, so a byte the
     caller writes (and closes) right after reading `netns` is not lost.  */
  fd = open (spec->net_sync, O_RDWR | O_CLOEXEC);
  if (fd < 0)
    return make_error (err, errno, "open net_sync `%s`", spec->net_sync);
  if (fstat (fd, &st) < 0 || !S_ISFIFO (st.st_mode))
    return make_error (err, EINVAL, "net_sync `%s` is not a FIFO", spec->net_sync);
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm; /* no SA_RESTART: the read returns EINTR */
  sigemptyset (&sa.sa_mask);
  if (sigaction (SIGALRM, &sa, &old) < 0)
    return make_error (err, errno, "sigaction SIGALRM");
  report_line ("netns %d", (int)run->child);
  alarm (NET_SYNC_SECONDS);
  n = read (fd, &go, 1);
  alarm (0);
  if (n < 0)
    {
      int saved = errno;
      sigaction (SIGALRM, &old, NULL);
      if (saved == EINTR)
        return make_error (err, ETIMEDOUT, "no answer on net_sync `%s` in %d s", spec->net_sync,
                           NET_SYNC_SECONDS);
      return make_error (err, saved, "read net_sync `%s`", spec->net_sync);
    }
  sigaction (SIGALRM, &old, NULL);
  if (n == 0 || go != '1')
    return make_error (err, ECANCELED, "the network setup failed; see the caller's error");
  return 0;
}
