"""Times a Jupyter kernel the way a notebook uses it (run by bench/kernel/run).

    timing.py KERNEL_NAME ready|cell|build RUNS [BUILD_CELL]

ready: start -> wait_for_ready, a new kernel per run.  cell: one warm kernel, a trivial cell.
build: one warm kernel, BUILD_CELL after a first run filled the cache (the cell's whole round
trip: execute_request to the reply, rendering included).  Prints the median in ms.
"""
import statistics
import sys
import time

from jupyter_client.manager import KernelManager

TRIVIAL = {"minke": "int v{n} = {n}; v{n} * 2", "python3": "v{n} = {n}; v{n} * 2"}


def start(name):
    manager = KernelManager(kernel_name=name)
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=120)
    return manager, client


def stop(manager, client):
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def run_cell(client, code):
    began = time.perf_counter()
    reply = client.execute_interactive(code, timeout=300, output_hook=lambda msg: None)
    elapsed = (time.perf_counter() - began) * 1000
    if reply["content"]["status"] != "ok":
        raise SystemExit("cell failed: %r: %s" % (code, reply["content"]))
    return elapsed


def main():
    name, mode, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    samples = []
    if mode == "ready":
        for _ in range(runs):
            began = time.perf_counter()
            manager, client = start(name)
            samples.append((time.perf_counter() - began) * 1000)
            stop(manager, client)
    else:
        manager, client = start(name)
        try:
            template = TRIVIAL.get(name, TRIVIAL["minke"])
            code = sys.argv[4] if mode == "build" else None
            run_cell(client, code or template.format(n=0))  # warm up: compile paths, fill the cache
            for n in range(1, runs + 1):
                samples.append(run_cell(client, code or template.format(n=n)))
        finally:
            stop(manager, client)
    print("%.1f" % statistics.median(samples))


if __name__ == "__main__":
    main()
