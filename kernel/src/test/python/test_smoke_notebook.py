"""Executes the smoke notebook headless with nbclient, as CI and `minke docs` do, and checks
every output: one output per display, layer rows and cache verdicts, a valid saved notebook,
and nbconvert's HTML export."""
import os
import subprocess
import unittest

import nbformat
from nbclient import NotebookClient

HERE = os.path.dirname(os.path.abspath(__file__))
NOTEBOOK = os.path.join(HERE, "..", "notebooks", "smoke.ipynb")
OUT_DIR = os.environ.get("MINKE_SMOKE_OUT", os.path.join(HERE, "..", "..", "..", "target", "smoke"))


def outputs_of(cell, output_type):
    return [o for o in cell.outputs if o.output_type == output_type]


class SmokeNotebook(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.nb = nbformat.read(NOTEBOOK, as_version=4)
        NotebookClient(cls.nb, kernel_name=os.environ.get("MINKE_KERNEL_NAME", "minke"), timeout=600,
                       allow_errors=False, resources={"metadata": {"path": HERE}}).execute()
        os.makedirs(OUT_DIR, exist_ok=True)
        cls.executed = os.path.join(OUT_DIR, "smoke.ipynb")
        nbformat.write(cls.nb, cls.executed)
        cls.code = [c for c in cls.nb.cells if c.cell_type == "code"]

    def test_saved_notebook_is_valid(self):
        nbformat.validate(nbformat.read(self.executed, as_version=4))

    def test_build_cell_has_one_build_display_and_the_image(self):
        cell = self.code[0]
        self.assertEqual([o.output_type for o in cell.outputs], ["display_data", "execute_result"])
        image = outputs_of(cell, "execute_result")[0].data
        self.assertIn("<details", image["text/html"])
        self.assertNotIn("<script", image["text/html"])
        top = image["application/json"]["layers"][-1]
        self.assertIn(top["verdict"], ("BUILT", "CACHED"))
        self.assertIn("echo hi > /greeting", top["createdBy"])

    def test_rebuild_is_all_cached(self):
        cell = self.code[1]
        self.assertEqual([o.output_type for o in cell.outputs], ["display_data", "execute_result"])
        layers = outputs_of(cell, "execute_result")[0].data["application/json"]["layers"]
        built_here = [layer for layer in layers if layer.get("verdict") not in (None, "", "BASE")]
        self.assertTrue(built_here)
        self.assertTrue(all(layer["verdict"] == "CACHED" for layer in built_here), layers)

    def test_layer_diff_lists_the_added_file(self):
        diff = outputs_of(self.code[2], "execute_result")[0].data
        self.assertIn("greeting", diff["text/html"])
        self.assertIn("greeting", str(diff["application/json"]))

    def test_run_streams_the_container_output(self):
        text = "".join(o.text for o in outputs_of(self.code[3], "stream"))
        self.assertIn("hi", text)

    def test_dockerfile_magic_cell(self):
        cell = self.code[4]
        # The same build in the DSL, the build's live display, the image.
        self.assertEqual([o.output_type for o in cell.outputs], ["display_data", "display_data", "execute_result"])
        self.assertIn("from(\"busybox\")", cell.outputs[0].data["text/plain"])
        self.assertIn("smoke:dockerfile", str(outputs_of(cell, "execute_result")[0].data["application/json"]))

    def test_compare_shows_shared_layers(self):
        data = outputs_of(self.code[5], "execute_result")[0].data
        self.assertIn("image/svg+xml", str(data.keys()) + data["text/html"])

    def test_nbconvert_renders_html(self):
        subprocess.run(["/usr/bin/jupyter", "nbconvert", "--to", "html", "--output-dir", OUT_DIR, self.executed],
                       check=True, capture_output=True)
        with open(os.path.join(OUT_DIR, "smoke.html"), encoding="utf-8") as page:
            html = page.read()
        self.assertIn("<details", html)


if __name__ == "__main__":
    unittest.main()
