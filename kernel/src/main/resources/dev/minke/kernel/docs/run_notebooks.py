"""Executes notebooks headless with nbclient and writes each executed notebook and its HTML page
(rendered by `jupyter nbconvert --to html`) to the output directory.

usage: run_notebooks.py --out DIR [--kernel NAME] [--timeout SECONDS] NOTEBOOK...

Runs from `minke docs`, which sets up the store, registry and kernelspec first. Every notebook
runs, even after a failure; the exit status is 1 if any cell failed, and each failure is printed
as `NOTEBOOK: cell INDEX (FIRST SOURCE LINE): ERROR`.
"""
import argparse
import os
import subprocess
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def first_line(cell):
    lines = [line for line in cell.source.splitlines() if line.strip()]
    return lines[0].strip() if lines else ""


def failed_cell(nb):
    """The index and cell of the first code cell with an error output, if any."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any(o.output_type == "error" for o in cell.get("outputs", [])):
            return index, cell
    return None, None


def error_text(cell):
    for output in cell.outputs:
        if output.output_type == "error":
            return "%s: %s" % (output.ename, output.evalue)
    return ""


def execute(path, out_dir, kernel, timeout):
    """Runs one notebook; returns a failure message or None."""
    name = os.path.basename(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name=kernel, timeout=timeout, allow_errors=False,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    started = time.monotonic()
    failure = None
    try:
        client.execute()
    except CellExecutionError as e:
        index, cell = failed_cell(nb)
        if cell is not None:
            failure = "%s: cell %d (%s): %s" % (name, index, first_line(cell), error_text(cell))
        else:
            failure = "%s: %s" % (name, str(e).strip().splitlines()[-1])
    except (CellTimeoutError, DeadKernelError) as e:
        index = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                      and c.get("execution_count") is None), None)
        where = "cell %d (%s)" % (index, first_line(nb.cells[index])) if index is not None else "a cell"
        failure = "%s: %s: %s: %s" % (name, where, type(e).__name__, str(e).strip().splitlines()[0])
    executed = os.path.join(out_dir, name)
    nbformat.write(nb, executed)
    html = subprocess.run(["/usr/bin/jupyter", "nbconvert", "--to", "html", "--log-level", "WARN",
                           "--output-dir", out_dir, executed], capture_output=True, text=True)
    if html.returncode != 0 and failure is None:
        failure = "%s: nbconvert --to html failed: %s" % (name, html.stderr.strip())
    seconds = time.monotonic() - started
    print("%s %s in %.1f s" % ("FAILED" if failure else "ok    ", name, seconds), flush=True)
    return failure


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--kernel", default="minke")
    parser.add_argument("--timeout", type=int, default=300)
    parser.add_argument("notebooks", nargs="+")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    failures = [f for f in (execute(p, args.out, args.kernel, args.timeout) for p in args.notebooks) if f]
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
