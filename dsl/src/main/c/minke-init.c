/* minke-init: run one container, or with join=PID one more process in a
   running container (docker exec).  Reads the init spec on fd 3, reports on
   fd 4 ("pid N", "warning TEXT", "error STEP ERRNO MESSAGE") and exits with
   the container's status: 125 when setup failed, 126/127 when the command
   cannot be executed / is not found, 128+N when killed by signal N.
   The protocol is described in README.md next to this file.  */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>

#include "steps.h"

struct init_step
{
  const char *name;
  init_step_fn run;
};

/* In minke-init, before the clone.  */
static const struct init_step monitor_steps[] = {
  { "device_filter", attach_device_filter },
  { "cgroup", join_cgroups },
  { "signals", block_signals },
  { "clone", clone_container },
};

/* In minke-init, after the clone.  */
static const struct init_step release_steps[] = {
  { "uid_map", write_uid_map },
  { "gid_map", write_gid_map },
  { "net_sync", wait_for_network },
  { "release", release_container },
};

/* In the container process, in this order (runc's, see
   research/anchors-build-runtime.md 2.2).  */
static const struct init_step container_steps[] = {
  { "sync", wait_for_monitor },
  { "loopback", bring_up_loopback },
  { "start_fifo", open_start_fifo },
  { "mount_propagation", make_root_slave },
  { "rootfs", mount_rootfs },
  { "proc", mount_proc },
  { "dev", mount_dev },
  { "devpts", mount_devpts },
  { "dev_shm", mount_dev_shm },
  { "mqueue", mount_mqueue },
  { "sys", mount_sys },
  { "mounts", mount_extra },
  { "devices", create_devices },
  { "pivot_root", pivot_to_rootfs },
  { "mask", mask_paths },
  { "readonly_paths", set_readonly_paths },
  { "readonly_root", set_readonly_root },
  { "hostname", set_hostname },
  { "rlimits", set_rlimits },
  { "seccomp", load_seccomp_early },
  { "caps_bounding", drop_bounding_caps },
  { "user", set_user },
  { "caps", set_caps },
  { "no_new_privs", set_no_new_privs },
  { "seccomp", load_seccomp },
  { "close_fds", close_fds },
  { "cwd", enter_cwd },
  { "pid", report_pid },
  { "start", wait_for_start },
  { "init", start_init_reaper },
  { "exec", exec_command },
};

/* Exec mode (join=PID), in minke-init before the fork: enter the container
   whose PID 1 is PID.  The release steps are the same as above.  */
static const struct init_step exec_monitor_steps[] = {
  { "target", open_target },     { "cgroup", join_cgroups },   { "signals", block_signals },
  { "setns", enter_namespaces }, { "fork", fork_into_target },
};

/* Exec mode, in the new process: a container start without the filesystem
   and hostname steps, which the container has done already.  */
static const struct init_step exec_steps[] = {
  { "sync", wait_for_monitor },
  { "root", enter_target_root },
  { "rlimits", set_rlimits },
  { "seccomp", load_seccomp_early },
  { "caps_bounding", drop_bounding_caps },
  { "user", set_user },
  { "caps", set_caps },
  { "no_new_privs", set_no_new_privs },
  { "seccomp", load_seccomp },
  { "close_fds", close_fds },
  { "cwd", enter_cwd },
  { "pid", report_pid },
  { "exec", exec_command },
};

#define N_STEPS(table) (sizeof (table) / sizeof (table)[0])

struct init_mode
{
  const struct init_step *monitor, *container;
  size_t n_monitor, n_container;
};

static const struct init_mode start_mode
    = { monitor_steps, container_steps, N_STEPS (monitor_steps), N_STEPS (container_steps) };
static const struct init_mode exec_mode
    = { exec_monitor_steps, exec_steps, N_STEPS (exec_monitor_steps), N_STEPS (exec_steps) };

/* Returns 0 when every step ran, else the status to exit with.  */
static int
run_steps (const struct init_step *steps, size_t n, const struct init_spec *spec,
           struct init_run *run, struct init_error *err)
{
  for (size_t i = 0; i < n; i++)
    {
      int ret = steps[i].run (spec, run, err);
      if (ret > 0)
        return err->status; /* the step ended its role early, successfully */
      if (ret < 0)
        {
          report_error (steps[i].name, err);
          return err->status ? err->status : EXIT_RUNTIME_FAILED;
        }
    }
  return 0;
}

static int
run_monitor (const struct init_spec *spec, struct init_run *run, struct init_error *err)
{
  int status = run_steps (release_steps, N_STEPS (release_steps), spec, run, err);

  if (status != 0)
    {
      kill (run->child, SIGKILL);
      waitpid (run->child, NULL, 0);
      return status;
    }
  status = wait_container (run, err);
  return status < 0 ? EXIT_RUNTIME_FAILED : status;
}

int
main (int argc, char **argv, char **envp)
{
  struct init_spec spec;
  struct init_error err = { 0 };
  struct init_run run = { .sync_fd = -1, .target_root_fd = -1, .start_fifo_fd = -1 };
  const struct init_mode *mode;
  int status;

  if (open_protocol_files (argc, argv, &err) < 0)
    return EXIT_RUNTIME_FAILED;
  if (fcntl (REPORT_FD, F_GETFD) < 0)
    {
      fprintf (stderr,
               "minke-init: fd %d (report) is not open; run it as "
               "`minke-init 3<SPEC 4>REPORT`\n",
               REPORT_FD);
      return EXIT_RUNTIME_FAILED;
    }
  if (reexec_sealed (argv, envp, &err) < 0)
    {
      report_error ("seal", &err);
      return EXIT_RUNTIME_FAILED;
    }
  /* The report fd must not leak into the command.  */
  if (fcntl (REPORT_FD, F_SETFD, FD_CLOEXEC) < 0)
    {
      make_error (&err, errno, "fcntl FD_CLOEXEC on fd %d", REPORT_FD);
      report_error ("report_fd", &err);
      return EXIT_RUNTIME_FAILED;
    }
  if (read_spec (SPEC_FD, &spec, &err) < 0)
    {
      report_error ("spec", &err);
      return EXIT_RUNTIME_FAILED;
    }
  close (SPEC_FD);
  mode = spec.join != 0 ? &exec_mode : &start_mode;
  status = run_steps (mode->monitor, mode->n_monitor, &spec, &run, &err);
  if (status != 0)
    return status;
  if (run.in_container)
    return run_steps (mode->container, mode->n_container, &spec, &run, &err);
  return run_monitor (&spec, &run, &err);
}
