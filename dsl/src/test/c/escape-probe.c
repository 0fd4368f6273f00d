/* escape-probe: tries, from inside a container, each thing a default Docker container must not be
   able to do, and prints one line per attempt:

     NAME<TAB>denied<TAB>HOW       the attempt failed (HOW: the errno name, or what was seen)
     NAME<TAB>ALLOWED<TAB>WHAT     the attempt worked: an escape, a bug in the runtime

   ContainerEscapeIT compiles this file with `cc -static`, copies it into a busybox image, runs it
   as the container's command and checks every line it expects. Each attempt is harmless when it
   is denied, and chosen to be harmless even if it were not (it sets a value to what it already
   is, or asks for something that changes nothing), since a bug here must not hurt the host
   running the tests.  */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <linux/reboot.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

static void
denied (const char *name, const char *how)
{
  printf ("%s\tdenied\t%s\n", name, how);
}

static void
allowed (const char *name, const char *what)
{
  printf ("%s\tALLOWED\t%s\n", name, what);
}

/* A system call's result: -1 is a denial named by its errno, anything else an escape.  */
static void
check (const char *name, long ret)
{
  if (ret == -1)
    denied (name, strerrorname_np (errno) ? strerrorname_np (errno) : "?");
  else
    {
      char what[64];
      snprintf (what, sizeof what, "returned %ld", ret);
      allowed (name, what);
    }
}

/* A masked path: opening it fails, or it reads as empty (a file) or lists nothing (a directory). */
static void
masked (const char *name, const char *path)
{
  struct stat st;
  if (stat (path, &st) == -1)
    {
      denied (name, strerrorname_np (errno));
      return;
    }
  if (S_ISDIR (st.st_mode))
    {
      DIR *dir = opendir (path);
      if (dir == NULL)
        {
          denied (name, strerrorname_np (errno));
          return;
        }
      int entries = 0;
      struct dirent *e;
      while ((e = readdir (dir)) != NULL)
        if (strcmp (e->d_name, ".") != 0 && strcmp (e->d_name, "..") != 0)
          entries++;
      closedir (dir);
      if (entries == 0)
        denied (name, "empty directory");
      else
        allowed (name, "directory has entries");
      return;
    }
  int fd = open (path, O_RDONLY | O_NONBLOCK);
  if (fd == -1)
    {
      denied (name, strerrorname_np (errno));
      return;
    }
  char buf[256];
  ssize_t n = read (fd, buf, sizeof buf);
  close (fd);
  if (n <= 0)
    denied (name, n == 0 ? "empty" : strerrorname_np (errno));
  else
    allowed (name, "read content");
}

/* A file that must not be writable: opening it for writing, or the write, fails. The value
   written is what the file already holds, where it holds something, so a write that gets through
   changes nothing.  */
static void
unwritable (const char *name, const char *path, const char *fallback)
{
  char value[4096] = "";
  int rfd = open (path, O_RDONLY | O_NONBLOCK);
  if (rfd != -1)
    {
      ssize_t n = read (rfd, value, sizeof value - 1);
      value[n > 0 ? n : 0] = '\0';
      close (rfd);
    }
  if (value[0] == '\0')
    snprintf (value, sizeof value, "%s", fallback);
  int fd = open (path, O_WRONLY);
  if (fd == -1)
    {
      denied (name, strerrorname_np (errno));
      return;
    }
  ssize_t n = write (fd, value, strlen (value));
  int saved = errno;
  close (fd);
  if (n == -1)
    denied (name, strerrorname_np (saved));
  else
    allowed (name, "write accepted");
}

/* A device node made with mknod (CAP_MKNOD is one of Docker's 14): making it may work, opening
   it must not (Docker's device cgroup allows only null, zero, full, random, urandom, tty, pts).  */
static void
device (const char *name, mode_t type, unsigned int major, unsigned int minor, int flags)
{
  char path[64];
  snprintf (path, sizeof path, "/dev/probe-%u-%u", major, minor);
  unlink (path);
  if (mknod (path, type | 0600, makedev (major, minor)) == -1)
    {
      denied (name, strerrorname_np (errno));
      return;
    }
  int fd = open (path, flags | O_NONBLOCK);
  int saved = errno;
  unlink (path);
  if (fd == -1)
    denied (name, strerrorname_np (saved));
  else
    {
      close (fd);
      allowed (name, "device opened");
    }
}

/* Runs ATTEMPT in a child so a call that blocks or kills its caller cannot stop the probe.  */
static void
in_child (const char *name, long (*attempt) (void))
{
  fflush (stdout);
  pid_t pid = fork ();
  if (pid == 0)
    {
      long ret = attempt ();
      _exit (ret == -1 ? (errno & 0xff) : 255);
    }
  int status;
  alarm (5);
  if (waitpid (pid, &status, 0) == -1)
    {
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
      denied (name, "timed out");
      return;
    }
  alarm (0);
  if (WIFEXITED (status) && WEXITSTATUS (status) != 255)
    denied (name, strerrorname_np (WEXITSTATUS (status)));
  else if (WIFEXITED (status))
    allowed (name, "returned");
  else
    denied (name, "killed");
}

static long
ptrace_attach_pid1 (void)
{
  return syscall (SYS_ptrace, 16 /* PTRACE_ATTACH */, 1, 0, 0);
}

static long
swapon_probe (void)
{
  return syscall (SYS_swapon, "/probe-no-such-swap", 0);
}

static long
new_user_ns (void)
{
  return unshare (CLONE_NEWUSER);
}

static long
new_mount_ns (void)
{
  return unshare (CLONE_NEWNS);
}

static long
clone_user_ns (void)
{
  /* Raw clone: a child that would be made exits at once.  */
  long ret = syscall (SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
  if (ret == 0)
    _exit (0);
  return ret;
}

static long
join_host_mount_ns (void)
{
  /* Pid 1 of the container is this probe; a host namespace is reachable only through a leak.  */
  int fd = open ("/proc/1/ns/mnt", O_RDONLY);
  if (fd == -1)
    return -1;
  return setns (fd, 0);
}

static long
shocker (void)
{
  /* open_by_handle_at with a handle to inode 2 (the root of most filesystems): the 2014 "shocker"
     escape read host files this way. It needs CAP_DAC_READ_SEARCH and Docker's seccomp profile.  */
  struct
  {
    struct file_handle h;
    unsigned char bytes[8];
  } handle = { .h = { .handle_bytes = 8, .handle_type = 1 } };
  unsigned int ino = 2;
  memcpy (handle.h.f_handle, &ino, sizeof ino);
  int dir = open ("/", O_RDONLY | O_DIRECTORY);
  return open_by_handle_at (dir, &handle.h, O_RDONLY);
}

static void
leaked_fds (void)
{
  /* CVE-2024-21626: nothing but stdio (and the directory being listed) is open at start.  */
  DIR *dir = opendir ("/proc/self/fd");
  if (dir == NULL)
    {
      denied ("cve-2024-21626-leaked-fd", strerrorname_np (errno));
      return;
    }
  char extra[256] = "";
  struct dirent *e;
  while ((e = readdir (dir)) != NULL)
    {
      int fd = atoi (e->d_name);
      if (e->d_name[0] == '.' || fd <= 2 || fd == dirfd (dir))
        continue;
      char link[64], target[128] = "";
      snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
      ssize_t n = readlink (link, target, sizeof target - 1);
      target[n > 0 ? n : 0] = '\0';
      size_t used = strlen (extra);
      snprintf (extra + used, sizeof extra - used, "%d=%s ", fd, target);
    }
  closedir (dir);
  if (extra[0] == '\0')
    denied ("cve-2024-21626-leaked-fd", "only stdio is open");
  else
    allowed ("cve-2024-21626-leaked-fd", extra);
}

static void
runtime_exe_writable (void)
{
  /* CVE-2019-5736: no process in the container has an executable the container can open for
     writing (the runtime's own binary, reached through /proc/PID/exe).  */
  DIR *dir = opendir ("/proc");
  char found[128] = "";
  struct dirent *e;
  while (dir != NULL && (e = readdir (dir)) != NULL)
    {
      pid_t pid = atoi (e->d_name);
      if (pid <= 0 || pid == getpid ())
        continue;
      char path[64];
      snprintf (path, sizeof path, "/proc/%d/exe", pid);
      int fd = open (path, O_WRONLY);
      if (fd != -1)
        {
          close (fd);
          snprintf (found, sizeof found, "%s", path);
        }
    }
  if (dir != NULL)
    closedir (dir);
  if (found[0] == '\0')
    denied ("cve-2019-5736-proc-exe", "no /proc/PID/exe opens for writing");
  else
    allowed ("cve-2019-5736-proc-exe", found);
}

int
main (void)
{
  setvbuf (stdout, NULL, _IOLBF, 0);
  leaked_fds ();
  runtime_exe_writable ();

  /* Docker's masked paths.  */
  masked ("mask-proc-kcore", "/proc/kcore");
  masked ("mask-proc-keys", "/proc/keys");
  masked ("mask-proc-timer-list", "/proc/timer_list");
  masked ("mask-proc-timer-stats", "/proc/timer_stats");
  masked ("mask-proc-sched-debug", "/proc/sched_debug");
  masked ("mask-proc-latency-stats", "/proc/latency_stats");
  masked ("mask-proc-interrupts", "/proc/interrupts");
  masked ("mask-proc-acpi", "/proc/acpi");
  masked ("mask-proc-asound", "/proc/asound");
  masked ("mask-proc-scsi", "/proc/scsi");
  masked ("mask-sys-firmware", "/sys/firmware");
  masked ("mask-sys-powercap", "/sys/devices/virtual/powercap");

  /* Docker's read-only paths, and the classic host-takeover files under them.  */
  unwritable ("ro-proc-sys-hostname", "/proc/sys/kernel/hostname", "x");
  unwritable ("ro-proc-sys-core-pattern", "/proc/sys/kernel/core_pattern", "core");
  unwritable ("ro-proc-sys-drop-caches", "/proc/sys/vm/drop_caches", "0");
  unwritable ("ro-proc-sysrq-trigger", "/proc/sysrq-trigger", "h");
  unwritable ("ro-proc-irq", "/proc/irq/default_smp_affinity", "1");
  unwritable ("ro-sys-uevent-helper", "/sys/kernel/uevent_helper", "");
  unwritable ("ro-sys-kernel-mm", "/sys/kernel/mm/transparent_hugepage/enabled", "never");
  unwritable ("cve-2022-0492-release-agent", "/sys/fs/cgroup/memory/release_agent", "");
  unwritable ("cve-2022-0492-notify-on-release", "/sys/fs/cgroup/memory/notify_on_release", "0");

  /* Capabilities Docker drops (the calls seccomp allows, so only the capability check stops them).
   */
  char host[256] = "";
  gethostname (host, sizeof host);
  check ("cap-sys-admin-sethostname", sethostname (host, strlen (host)));
  check ("cap-sys-admin-setdomainname", setdomainname ("", 0));
  struct timespec now;
  clock_gettime (CLOCK_REALTIME, &now);
  check ("cap-sys-time-clock-settime", clock_settime (CLOCK_REALTIME, &now));
  struct timeval tv;
  gettimeofday (&tv, NULL);
  check ("cap-sys-time-settimeofday", settimeofday (&tv, NULL));
  struct timex tx = { .modes = ADJ_OFFSET, .offset = 0 };
  check ("cap-sys-time-adjtimex", adjtimex (&tx));
  int sock = socket (AF_INET, SOCK_DGRAM, 0);
  struct ifreq ifr = { 0 };
  snprintf (ifr.ifr_name, sizeof ifr.ifr_name, "lo");
  if (ioctl (sock, SIOCGIFMTU, &ifr) == 0)
    check ("cap-net-admin-set-mtu", ioctl (sock, SIOCSIFMTU, &ifr));
  else
    denied ("cap-net-admin-set-mtu", "no lo");
  close (sock);
  check ("cap-sys-module-init-module", syscall (SYS_init_module, NULL, 0, ""));
  check ("cap-sys-module-finit-module", syscall (SYS_finit_module, -1, "", 0));
  check ("cap-sys-module-delete-module",
         syscall (SYS_delete_module, "probe-no-such-module", O_NONBLOCK));
  check ("cap-sys-rawio-iopl", syscall (SYS_iopl, 3));
  check ("cap-sys-rawio-ioperm", syscall (SYS_ioperm, 0x80, 1, 1));
  check ("cap-sys-boot-reboot", syscall (SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
                                         LINUX_REBOOT_CMD_CAD_OFF, NULL));
  check ("cap-syslog-read", syscall (SYS_syslog, 3 /* SYSLOG_ACTION_READ_ALL */, host, 16));
  check ("cap-sys-nice-raise-priority", setpriority (PRIO_PROCESS, 0, -10));
  struct rlimit nofile;
  getrlimit (RLIMIT_NOFILE, &nofile);
  if (nofile.rlim_max != RLIM_INFINITY)
    {
      nofile.rlim_max++;
      check ("cap-sys-resource-raise-rlimit", setrlimit (RLIMIT_NOFILE, &nofile));
    }
  else
    denied ("cap-sys-resource-raise-rlimit", "already unlimited");
  check ("cap-dac-read-search-shocker", shocker ());
  in_child ("cap-sys-ptrace-attach", ptrace_attach_pid1);

  /* Calls Docker's seccomp profile refuses.  */
  check ("seccomp-keyctl", syscall (SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, "probe"));
  check ("seccomp-add-key", syscall (SYS_add_key, "user", "probe", "x", 1, -3 /* session */));
  check ("seccomp-request-key", syscall (SYS_request_key, "user", "probe", NULL, 0));
  in_child ("seccomp-unshare-user", new_user_ns);
  in_child ("seccomp-unshare-mount", new_mount_ns);
  in_child ("seccomp-clone-newuser", clone_user_ns);
  in_child ("seccomp-setns", join_host_mount_ns);
  check ("seccomp-mount-tmpfs", mount ("none", "/tmp", "tmpfs", 0, NULL));
  check ("seccomp-umount-proc", umount2 ("/proc/kcore", MNT_DETACH));
  check ("seccomp-pivot-root", syscall (SYS_pivot_root, "/tmp", "/tmp"));
  check ("seccomp-fsopen", syscall (SYS_fsopen, "tmpfs", 0));
  check ("seccomp-open-tree", syscall (SYS_open_tree, AT_FDCWD, "/", 1 /* OPEN_TREE_CLONE */));
  check ("seccomp-move-mount", syscall (SYS_move_mount, AT_FDCWD, "/tmp", AT_FDCWD, "/mnt", 0));
  union bpf_attr map
      = { .map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1 };
  check ("seccomp-bpf", syscall (SYS_bpf, BPF_MAP_CREATE, &map, sizeof map));
  struct perf_event_attr pe = {
    .type = PERF_TYPE_SOFTWARE, .size = sizeof pe, .config = PERF_COUNT_SW_CPU_CLOCK, .disabled = 1
  };
  check ("seccomp-perf-event-open", syscall (SYS_perf_event_open, &pe, 0, -1, -1, 0));
  check ("seccomp-kexec-load", syscall (SYS_kexec_load, 0, 0, NULL, 0));
  check ("seccomp-kexec-file-load", syscall (SYS_kexec_file_load, -1, -1, 0, "", 0));
  check ("seccomp-userfaultfd", syscall (SYS_userfaultfd, O_CLOEXEC));
  check ("seccomp-io-uring-setup", syscall (SYS_io_uring_setup, 1, NULL));
  check ("seccomp-swapon", swapon_probe ());
  check ("seccomp-acct", syscall (SYS_acct, NULL));
  check ("seccomp-quotactl", syscall (SYS_quotactl, 0, NULL, 0, NULL));
  check ("seccomp-lookup-dcookie", syscall (SYS_lookup_dcookie, 0, NULL, 0));
  check ("seccomp-clock-adjtime", syscall (SYS_clock_adjtime, CLOCK_REALTIME, &tx));
  check ("seccomp-personality-read-implies-exec", personality (READ_IMPLIES_EXEC));
  check ("seccomp-socket-vsock", socket (AF_VSOCK, SOCK_STREAM, 0));
  check ("seccomp-clone3", syscall (SYS_clone3, NULL, 0));

  /* Devices: host disks are absent, and nodes made with mknod do not open.  */
  masked ("dev-host-disk-absent", "/dev/vda");
  masked ("dev-sda-absent", "/dev/sda");
  masked ("dev-mem-absent", "/dev/mem");
  masked ("dev-kmsg-absent", "/dev/kmsg");
  device ("dev-mknod-block-disk", S_IFBLK, 254, 0, O_RDONLY);
  device ("dev-mknod-block-sda", S_IFBLK, 8, 0, O_RDONLY);
  device ("dev-mknod-mem", S_IFCHR, 1, 1, O_RDONLY);
  device ("dev-mknod-kmsg", S_IFCHR, 1, 11, O_RDONLY);
  device ("dev-mknod-loop-control", S_IFCHR, 10, 237, O_RDWR);
  device ("dev-mknod-fuse", S_IFCHR, 10, 229, O_RDWR);
  device ("dev-mknod-kvm", S_IFCHR, 10, 232, O_RDWR);
  device ("dev-mknod-tty0", S_IFCHR, 4, 0, O_RDWR);
  printf ("end\n");
  return 0;
}
