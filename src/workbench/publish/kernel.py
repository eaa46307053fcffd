"""The project's Jupyter kernel, ``chs-workbench``: the name every notebook declares, the kernel
``make lab`` installs for JupyterLab, and the kernel reports are rendered on.

A shared JupyterLab may have a ``python3`` kernel that is a Python without the workbench, so the
notebooks name the project's kernel. Rendering must still work on a fresh machine where that
kernel was never installed (``make report``, the tests): when papermill asks for
``chs-workbench``, :class:`ProjectKernelManager` starts it on the interpreter that is rendering
(the one that imported this workbench), whatever is or is not installed in Jupyter's paths.
Any other kernel name is looked up in Jupyter's paths as usual.
"""

from __future__ import annotations

import sys

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

#: The kernel name in every notebook's metadata and in ``make lab``.
PROJECT_KERNEL = "chs-workbench"
PROJECT_KERNEL_DISPLAY_NAME = "CHS workbench"


def project_kernel_spec() -> KernelSpec:
    """The project's kernel on the running interpreter."""
    return KernelSpec(
        argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        display_name=PROJECT_KERNEL_DISPLAY_NAME,
        language="python",
        metadata={"debugger": True},
    )


class ProjectKernelSpecManager(KernelSpecManager):
    """Jupyter's kernel specs, with :data:`PROJECT_KERNEL` always the running interpreter."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        if kernel_name == PROJECT_KERNEL:
            return project_kernel_spec()
        return super().get_kernel_spec(kernel_name)


class ProjectKernelManager(AsyncKernelManager):
    """The kernel manager papermill (nbclient) is given: kernels are looked up by
    :class:`ProjectKernelSpecManager`."""

    @default("kernel_spec_manager")
    def _project_kernel_spec_manager(self) -> KernelSpecManager:
        return ProjectKernelSpecManager(data_dir=self.data_dir)
