"""Build the reprint extension against libreprint.

Where the library comes from, in this order:
  1. REPRINT_BUILD=DIR: the repository's build folder DIR (libreprint.a and
     ../include/reprint.h), linked statically, so nothing is needed at run
     time; the libraries it links come from pkg-config;
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
# What libreprint.a needs besides itself (the Makefile's PKGS and LIBS).
DEP_PKGS = ["libxxhash", "sqlite3", "zlib", "libutf8proc", "jansson", "libxml-2.0"]
DEP_LIBS = ["-lstemmer", "-lpthread", "-lm"]


def pkg_config(*args):
    try:
        out = subprocess.run(["pkg-config", *args], check=True, capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def from_build(build):
    inc = os.path.join(os.path.dirname(os.path.abspath(build)), "include")
    lib = os.path.join(build, "libreprint.a")
    if not (os.path.isfile(lib) and os.path.isfile(os.path.join(inc, "reprint.h"))):
        return None
    libs = pkg_config("--libs", *DEP_PKGS)
    if libs is None:
        sys.exit("reprint: pkg-config cannot find the libraries libreprint.a links "
                 f"({' '.join(DEP_PKGS)}); run scripts/install-deps as root")
    return dict(include_dirs=[inc], extra_objects=[lib],
                extra_link_args=shlex.split(libs) + DEP_LIBS, source="build folder " + build)


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
