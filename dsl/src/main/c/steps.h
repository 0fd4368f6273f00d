/* minke-init: the setup steps.  Each returns 0, or -1 with ERR filled in; none
   calls exit().  main walks them in order from a table (minke-init.c).  */
#ifndef MINKE_STEPS_H
#define MINKE_STEPS_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "errors.h"
#include "spec.h"

/* user, mnt, pid, uts, ipc, net, cgroup: what exec mode enters (join.c).  */
#define JOIN_NAMESPACES 7

/* What a step leaves for a later one (the spec itself is never written).  */
struct init_run
{
  int sync_fd;                        /* monitor: write end; container: read end */
  pid_t child;                        /* monitor: the container's pid (host view) */
  pid_t host_pid;                     /* container: its own pid as the host sees it */
  sigset_t saved_mask;                /* signal mask to restore before exec */
  bool in_container;                  /* true on the container side of the clone */
  int target_root_fd;                 /* exec: /proc/PID/root of the joined container, or -1 */
  int target_ns_fds[JOIN_NAMESPACES]; /* exec: its namespaces to enter, -1 if ours */
  int start_fifo_fd;                  /* container: start_fifo, O_PATH then write end, or -1 */
};

/* A step that ends the process early on success (the init reaper) returns 1
   and puts the exit status in ERR->status.  */
typedef int (*init_step_fn) (const struct init_spec *spec, struct init_run *run,
                             struct init_error *err);

#define STEP(name)                                                                                 \
  int name (const struct init_spec *spec, struct init_run *run, struct init_error *err)

/* monitor.c: runs in minke-init itself, before and after the clone.  */
STEP (join_cgroups);
STEP (block_signals);
STEP (clone_container);
STEP (write_uid_map);
STEP (write_gid_map);
STEP (release_container);
STEP (wait_for_monitor);
int wait_container (const struct init_run *run, struct init_error *err);

/* join.c: exec mode, entering a running container instead of creating one.  */
STEP (open_target);
STEP (enter_namespaces);
STEP (fork_into_target);
STEP (enter_target_root);

/* mounts.c, dev.c, extra_mounts.c: the root filesystem, in runc's order.  */
STEP (make_root_slave);
STEP (mount_rootfs);
STEP (mount_proc);
STEP (mount_dev);
STEP (create_devices);
STEP (mount_devpts);
STEP (mount_dev_shm);
STEP (mount_mqueue);
STEP (mount_sys);
STEP (mount_extra);
STEP (pivot_to_rootfs);
STEP (mask_paths);
STEP (set_readonly_paths);
STEP (set_readonly_root);

/* process.c: the process itself.  */
STEP (set_hostname);
STEP (set_rlimits);
STEP (set_user);
STEP (close_fds);
STEP (enter_cwd);
STEP (start_init_reaper);
STEP (report_pid);
STEP (exec_command);

/* net.c: loopback up in a new network namespace; net_sync= wait.  */
STEP (bring_up_loopback);
STEP (wait_for_network);

/* start.c: start_fifo=, the wait between create and start.  */
STEP (open_start_fifo);
STEP (wait_for_start);

/* caps.c */
STEP (drop_bounding_caps);
STEP (set_caps);
STEP (set_no_new_privs);

/* device_filter.c: the cgroup v2 device rules, a BPF program.  */
STEP (attach_device_filter);

/* seccomp.c */
STEP (load_seccomp_early);
STEP (load_seccomp);

/* args.c: with `--spec FILE --report FILE`, open them onto fds 3 and 4.  */
int open_protocol_files (int argc, char **argv, struct init_error *err);

/* seal.c: re-exec from a sealed memfd copy (CVE-2019-5736).  */
int reexec_sealed (char **argv, char **envp, struct init_error *err);

/* paths.c: resolve inside the rootfs without leaving it.  */
int open_in_root (int rootfd, const char *path, int flags);
int ensure_dir_in_root (int rootfd, const char *path);
int ensure_file_in_root (int rootfd, const char *path);
void fd_path (int fd, char buf[32]);
bool in_user_namespace (void);

#endif
