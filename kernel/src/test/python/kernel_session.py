"""A running Minke kernel and a blocking client, for protocol tests."""
import os
import queue
import time

from jupyter_client.manager import KernelManager


class KernelSession:
    def __init__(self, kernel_name=os.environ.get("MINKE_KERNEL_NAME", "minke")):
        self.manager = KernelManager(kernel_name=kernel_name)
        self.manager.start_kernel()
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=120)

    def close(self):
        try:
            self.client.stop_channels()
        finally:
            self.manager.shutdown_kernel(now=True)

    def execute(self, code, timeout=300, on_message=None):
        """Runs code; returns (reply content, iopub messages of this request in order)."""
        msg_id = self.client.execute(code)
        messages = []
        deadline = time.monotonic() + timeout
        idle = False
        while not idle:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no idle status for %r after %d s" % (code, timeout))
            try:
                msg = self.client.get_iopub_msg(timeout=min(remaining, 5))
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            messages.append(msg)
            if on_message is not None:
                on_message(msg)
            idle = msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle"
        reply = self.client.get_shell_msg(timeout=timeout)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.client.get_shell_msg(timeout=timeout)
        return reply["content"], messages


def of_type(messages, *types):
    return [m for m in messages if m["msg_type"] in types]


def stream_text(messages, name):
    return "".join(m["content"]["text"] for m in of_type(messages, "stream") if m["content"]["name"] == name)
