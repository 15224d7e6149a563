# SPDX-License-Identifier: BSL-1.0
# The wheel of the Python package trueup (see pyproject.toml): CMake builds the library and the
# module `trueup._core`, then installs only the `python` component (the package's Python files,
# its type stubs and the shipped rule packs) where scikit-build collects it.
import pathlib
import re
import sys

from skbuild import setup

root = pathlib.Path(__file__).resolve().parent
version = re.search(r"project\(trueup VERSION (\S+)", (root / "CMakeLists.txt").read_text()).group(1)

setup(
    name="trueup",
    version=version,
    description="Licence reconciliation: effective licence position, optimally",
    long_description=(root / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="BSL-1.0",
    python_requires=">=3.11",
    extras_require={"pandas": ["pandas"]},
    packages=["trueup"],
    package_dir={"": "bindings/python"},
    cmake_args=[
        "-G", "Ninja",
        "-DCMAKE_BUILD_TYPE=Release",
        "-DTRUEUP_BUILD_TESTS=OFF",
        "-DTRUEUP_BUILD_CLI=OFF",
        "-DTRUEUP_BUILD_PYTHON=ON",
        "-DTRUEUP_INSTALL=ON",
        "-DTRUEUP_PYTHON_INSTALL_DIR=bindings/python",
        f"-DPython_EXECUTABLE={sys.executable}",
        "--no-warn-unused-cli",  # scikit-build also passes the FindPythonLibs variables
    ],
    cmake_install_target="install-python",
    zip_safe=False,
)
