"""Build the reprint extension against libreprint.

Where the library comes from, in this order:
  1. REPRINT_BUILD=DIR: the repository's build folder DIR (libreprint.a and
     ../include/reprint.h), linked statically, so nothing is needed at run
     time; the libraries it links are those of DIR/reprint.pc (found with
     pkg-config);
  2. pkg-config's reprint (an installed reprint: `make install`), linked
     against libreprint.so, with its folder as the run-time search path, so
     a PREFIX outside the loader's path works too;
  3. the build folder of the repository this file sits in (../build), if
     `make` has been run there.
Otherwise the build stops and says how to get one of them.
"""
import os
import shlex
import subprocess
import sys

from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))
def pkg_config(*args):
    try:
        out = subprocess.run(["pkg-config", *args], check=True, capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def build_deps(build):
    """What libreprint.a links besides itself, from the build's reprint.pc
    (Requires.private and Libs.private: the Makefile writes one list, so the
    package never keeps a copy of it)."""
    pkgs, libs = [], []
    with open(os.path.join(build, "reprint.pc"), encoding="utf-8") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key == "Requires.private":
                pkgs = value.split()
            elif key == "Libs.private":
                libs = value.split()
    return pkgs, libs


def from_build(build):
    inc = os.path.join(os.path.dirname(os.path.abspath(build)), "include")
    lib = os.path.join(build, "libreprint.a")
    if not (os.path.isfile(lib) and os.path.isfile(os.path.join(inc, "reprint.h"))
            and os.path.isfile(os.path.join(build, "reprint.pc"))):
        return None
    dep_pkgs, dep_libs = build_deps(build)
    libs = pkg_config("--libs", *dep_pkgs)
    if libs is None:
        sys.exit("reprint: pkg-config cannot find the libraries libreprint.a links "
                 f"({' '.join(dep_pkgs)}); run scripts/install-deps as root")
    return dict(include_dirs=[inc], extra_objects=[lib],
                extra_link_args=shlex.split(libs) + dep_libs, source="build folder " + build)


def from_pkg_config():
    if pkg_config("--exists", "reprint") is None:
        return None
    cflags = shlex.split(pkg_config("--cflags", "reprint") or "")
    libs = shlex.split(pkg_config("--libs", "reprint") or "")
    libdir = pkg_config("--variable=libdir", "reprint")
    sysroot = os.environ.get("PKG_CONFIG_SYSROOT_DIR", "")
    rpath = [sysroot + libdir] if libdir else []
    return dict(extra_compile_args=cflags, extra_link_args=libs,
                runtime_library_dirs=rpath, source="pkg-config (" +
                (pkg_config("--variable=prefix", "reprint") or "?") + ")")


def library():
    build = os.environ.get("REPRINT_BUILD")
    if build:
        cfg = from_build(build)
        if not cfg:
            sys.exit(f"reprint: REPRINT_BUILD={build} holds no libreprint.a (or "
                     "../include/reprint.h): run make in the repository first")
        return cfg
    cfg = from_pkg_config() or from_build(os.path.join(HERE, "..", "build"))
    if not cfg:
        sys.exit("reprint: libreprint not found: install reprint (make install; pkg-config "
                 "must find reprint.pc, see PKG_CONFIG_PATH), or run make in the repository, "
                 "or set REPRINT_BUILD to its build folder")
    return cfg


cfg = library()
print("reprint: building against " + cfg.pop("source"), file=sys.stderr)
ext = Extension("reprint._reprint", sources=["src/reprint/_reprint.c"],
                extra_compile_args=cfg.pop("extra_compile_args", []) + ["-std=c11"], **cfg)
setup(ext_modules=[ext])
