"""Protocol checks jupyter_kernel_test lacks: the live build display, interrupts, streams, magics."""
import os
import threading
import time
import unittest

from kernel_session import KernelSession, of_type, stream_text


class MinkeKernelProtocol(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.session = KernelSession()

    @classmethod
    def tearDownClass(cls):
        cls.session.close()

    def test_build_shows_one_display_updated_in_place_then_the_image(self):
        reply, messages = self.session.execute(
            'from("busybox").run("echo one > /one").run("echo two > /two").build()')
        self.assertEqual(reply["status"], "ok", reply)
        displays = of_type(messages, "display_data")
        self.assertEqual(len(displays), 1, "one live display per build")
        display_id = displays[0]["content"]["transient"]["display_id"]
        updates = of_type(messages, "update_display_data")
        self.assertGreaterEqual(len(updates), 1)
        self.assertTrue(all(u["content"]["transient"]["display_id"] == display_id for u in updates))
        final = updates[-1]["content"]["data"]
        for mime in ("text/plain", "text/html", "application/json"):
            self.assertIn(mime, final)
        self.assertNotIn("<script", final["text/html"])
        results = of_type(messages, "execute_result")
        self.assertEqual(len(results), 1)
        image = results[0]["content"]["data"]
        self.assertIn("<details", image["text/html"])
        self.assertIn("application/json", image)

    def test_cached_rebuild_reports_every_step_cached(self):
        code = 'from("busybox").run("echo cached > /cached").build()'
        self.session.execute(code)
        reply, messages = self.session.execute(code)
        self.assertEqual(reply["status"], "ok", reply)
        image = of_type(messages, "execute_result")[0]["content"]["data"]["application/json"]
        verdicts = [layer.get("verdict") for layer in image["layers"] if layer.get("verdict") not in (None, "")]
        self.assertTrue(verdicts, image)
        self.assertTrue(all(v == "CACHED" for v in verdicts if v != "BASE"), image)

    def test_run_streams_container_output_to_the_cell(self):
        reply, messages = self.session.execute(
            'image("busybox").run("sh", "-c", "echo to-stdout; echo to-stderr >&2")')
        self.assertEqual(reply["status"], "ok", reply)
        self.assertIn("to-stdout", stream_text(messages, "stdout"))
        self.assertIn("to-stderr", stream_text(messages, "stderr"))

    def test_interrupt_during_a_build_stops_it_and_reports_where(self):
        started = threading.Event()

        def watch(msg):
            if msg["msg_type"] in ("display_data", "update_display_data"):
                if "step-started" in str(msg["content"]["data"].get("text/plain", "")) + \
                        str(msg["content"]["data"].get("text/html", "")):
                    started.set()

        result = {}

        def run():
            result["reply"], result["messages"] = self.session.execute(
                'from("busybox").run("echo before > /before")'
                '.run("echo step-started; sleep 300").build()', on_message=watch)

        worker = threading.Thread(target=run)
        worker.start()
        self.assertTrue(started.wait(120), "the RUN step never printed")
        self.session.manager.interrupt_kernel()
        worker.join(120)
        self.assertFalse(worker.is_alive(), "the cell did not end after the interrupt")
        reply = result["reply"]
        self.assertEqual(reply["status"], "error", reply)
        self.assertIn("interrupt", (reply["ename"] + reply["evalue"]).lower(), reply)
        self.assertIn("sleep 300", reply["evalue"], reply)
        # No sleep of that container outlives the interrupt.
        kernel_pid = self.session.manager.provisioner.process.pid
        self.assertFalse(any("sleep 300" in cmdline for cmdline in _descendant_cmdlines(kernel_pid)))
        # The kernel goes on, and the finished step is cached.
        reply, messages = self.session.execute("1 + 1")
        self.assertEqual(reply["status"], "ok", reply)
        reply, messages = self.session.execute('from("busybox").run("echo before > /before").build()')
        image = of_type(messages, "execute_result")[0]["content"]["data"]["application/json"]
        self.assertIn("CACHED", [layer.get("verdict") for layer in image["layers"]])

    def test_dockerfile_magic_builds_the_cell(self):
        reply, messages = self.session.execute(
            "%%dockerfile -t magic:test\nFROM busybox\nRUN echo from-dockerfile > /df\n")
        self.assertEqual(reply["status"], "ok", reply)
        dsl, build = of_type(messages, "display_data")
        self.assertIn('.run("echo from-dockerfile > /df")', dsl["content"]["data"]["text/plain"])
        image = of_type(messages, "execute_result")[0]["content"]["data"]["application/json"]
        self.assertIn("magic:test", str(image.get("reference")))

    def test_a_minke_error_shows_problem_and_hint_not_a_stack_trace(self):
        reply, messages = self.session.execute('image("no-such-image:1")')
        self.assertEqual(reply["status"], "error")
        error = of_type(messages, "error")[0]["content"]
        text = "\n".join(error["traceback"])
        self.assertIn("no-such-image", text)
        self.assertIn("hint", text)
        self.assertNotIn("at dev.minke", text)

    def test_a_compile_error_points_at_the_code(self):
        reply, messages = self.session.execute("int x = \"text\";")
        self.assertEqual(reply["status"], "error")
        text = "\n".join(of_type(messages, "error")[0]["content"]["traceback"])
        self.assertIn("incompatible types", text)


def _descendant_cmdlines(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
                with open("/proc/%s/cmdline" % entry, "rb") as cmdline:
                    children.setdefault(parent, []).append(cmdline.read().replace(b"\0", b" ").decode(errors="replace"))
                children.setdefault(("pid", parent), []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.extend(children.get(current, []))
        todo.extend(children.get(("pid", current), []))
    return found


if __name__ == "__main__":
    unittest.main()
