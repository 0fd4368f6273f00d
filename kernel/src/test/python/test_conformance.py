"""jupyter_kernel_test's protocol conformance suite against the installed `minke` kernelspec.

Run by KernelConformanceIT with JUPYTER_PATH pointing at the kernelspec the test installed:
    /usr/bin/python3 -m unittest -v test_conformance
"""
import os
import unittest

import jupyter_kernel_test


class MinkeKernelConformance(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("MINKE_KERNEL_NAME", "minke")
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("oops");'
    code_page_something = None

    completion_samples = [
        {"text": "from(\"busybox\").work", "matches": {"workdir("}},
        {"text": "Math.absE", "matches": {"absExact("}},
    ]
    complete_code_samples = ["1 + 1", "int x = 3;", "from(\"busybox\")"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "from(\"busybox\")\n    .run("]
    invalid_code_samples = []

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "\"minke\".toUpperCase()", "result": "MINKE"},
    ]
    code_display_data = [
        {"code": "display(scratch())", "mime": "text/plain"},
    ]
    code_generate_error = "throw new IllegalStateException(\"boom\")"
    code_inspect_sample = "Math.abs"
    code_history_pattern = None
    supported_history_operations = ()
    code_clear_output = None


if __name__ == "__main__":
    unittest.main()
