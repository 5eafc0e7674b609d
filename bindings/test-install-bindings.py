#!/usr/bin/env python3
"""The bindings as a consumer outside the source tree gets them.

Builds the library alone from SOURCE_DIR (-Dprocsim=disabled
-Dtests=disabled, shared) and installs it into a temporary prefix. Then:

--python PY: pip-installs a copy of bindings/python into a temporary
  target (--no-deps --no-build-isolation --no-index: nothing is fetched),
  checks that py.typed is installed, and runs every Python example of
  README.md and docs/bindings.md with that target on PYTHONPATH and the
  prefix's lib/ on LD_LIBRARY_PATH, from a directory outside the tree:
  the package must load the installed library (by its SONAME).
--go GO: for every Go example of README.md and docs/bindings.md, writes a
  module outside the tree that requires the binding's module with a
  replace directive pointing at bindings/go, builds it with the installed
  libcontid.pc on PKG_CONFIG_PATH, and runs it against the installed
  library.

An example is a ```go block holding "package main" or a ```python block
holding "import contid"; the ```text block that follows it is what it must
print. README.md must have at least one of each.

Usage: test-install-bindings.py SOURCE_DIR --meson MESON [--go GO]
       [--python PY]   (meson test runs it)
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

MODULE = "libcontid.org/contid"
DOCS = ("README.md", "docs/bindings.md")


class Failure(Exception):
    pass


def run(cmd, log=None, **kw):
    """Runs cmd; its output goes to log (a file) or is returned."""
    print("#", " ".join(str(c) for c in cmd), flush=True)
    p = subprocess.run([str(c) for c in cmd], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, **kw)
    if log is not None:
        Path(log).write_text(p.stdout)
    if p.returncode != 0:
        raise Failure(f"{cmd[0]} exited with status {p.returncode}:\n"
                      f"{p.stdout}")
    return p.stdout


def examples(srcdir):
    """(file, line, language, code, expected output) of every example."""
    found = []
    for doc in DOCS:
        text = (srcdir / doc).read_text()
        blocks = [(m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1)
                  for m in re.finditer(r"(?ms)^```(\w*)\n(.*?)^```$", text)]
        for i, (lang, code, line) in enumerate(blocks):
            if not ((lang == "go" and "package main" in code) or
                    (lang == "python" and "import contid" in code)):
                continue
            if i + 1 >= len(blocks) or blocks[i + 1][0] != "text":
                raise Failure(f"{doc}:{line}: a {lang} example without the "
                              "```text block of what it prints")
            found.append((doc, line, lang, code, blocks[i + 1][1]))
    for lang in ("go", "python"):
        if not any(e[0] == "README.md" and e[2] == lang for e in found):
            raise Failure(f"README.md has no {lang} example")
    return found


def install_library(srcdir, meson, tmp):
    build, prefix = tmp / "build", tmp / "prefix"
    print("# the library alone, installed into", prefix, flush=True)
    run([meson, "setup", build, srcdir, f"--prefix={prefix}", "--libdir=lib",
         "-Dprocsim=disabled", "-Dtests=disabled",
         "-Ddefault_library=shared"], log=tmp / "setup.log")
    run([meson, "compile", "-C", build], log=tmp / "compile.log")
    run([meson, "install", "-C", build], log=tmp / "install.log")
    for f in ("lib/libcontid.so.0", "lib/pkgconfig/libcontid.pc",
              "include/contid.h"):
        if not (prefix / f).exists():
            raise Failure(f"the install has no {f}")
    return prefix


def consumer_env(prefix):
    env = dict(os.environ)
    for var in ("CONTID_LIBRARY", "LD_PRELOAD", "PYTHONPATH"):
        env.pop(var, None)
    env["LD_LIBRARY_PATH"] = str(prefix / "lib")
    return env


def expect_output(what, got, want):
    if got != want:
        raise Failure(f"{what} printed:\n{got}\ninstead of:\n{want}")


def check_python(python, srcdir, prefix, tmp, found):
    src, target = tmp / "python-src", tmp / "python-site"
    # pip builds in the directory it is given: a copy, not the tree.
    shutil.copytree(srcdir / "bindings" / "python", src,
                    ignore=shutil.ignore_patterns("__pycache__",
                                                  ".pytest_cache"))
    env = consumer_env(prefix)
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1",
               PYTHONDONTWRITEBYTECODE="1")
    run([python, "-m", "pip", "install", "--no-deps", "--no-build-isolation",
         "--no-index", "--no-cache-dir", "--root-user-action=ignore",
         "--target", target, src], log=tmp / "pip.log", env=env, cwd=tmp)
    for f in ("contid/__init__.py", "contid/_lib.py", "contid/py.typed"):
        if not (target / f).exists():
            raise Failure(f"pip installed no {f}")
    env["PYTHONPATH"] = str(target)
    where = run([python, "-c",
                 "import contid; print(contid.__file__); "
                 "print(contid.version()); "
                 "print([l.split()[-1] for l in open('/proc/self/maps') "
                 "if 'libcontid' in l][0])"], env=env, cwd=tmp).split("\n")
    if not where[0].startswith(str(target)):
        raise Failure(f"contid was imported from {where[0]}, not {target}")
    if not where[2].startswith(str(prefix / "lib")):
        raise Failure(f"contid loaded {where[2]}, not the installed library")
    print(f"# python: contid {where[1]} from {target}, library {where[2]}")
    for n, (doc, line, lang, code, want) in enumerate(found):
        if lang != "python":
            continue
        script = tmp / f"example-{n}.py"
        script.write_text(code)
        got = run([python, script], env=env, cwd=tmp)
        expect_output(f"the Python example of {doc}:{line}", got, want)
        print(f"# python: the example of {doc}:{line} ran as documented")


def check_go(go, srcdir, prefix, tmp, found):
    env = consumer_env(prefix)
    # A build cache of its own: go's cache does not see a change in what
    # pkg-config answers, so a shared one would link against the prefix of
    # an earlier run.
    env.update(PKG_CONFIG_PATH=str(prefix / "lib" / "pkgconfig"),
               GOCACHE=str(tmp / "go-cache"), GOFLAGS="-mod=mod",
               GOPROXY="off", GOWORK="off")
    for n, (doc, line, lang, code, want) in enumerate(found):
        if lang != "go":
            continue
        mod = tmp / f"go-example-{n}"
        mod.mkdir()
        (mod / "go.mod").write_text(
            "module consumer\n\ngo 1.19\n\n"
            f"require {MODULE} v0.0.0\n\n"
            f"replace {MODULE} => {srcdir / 'bindings' / 'go'}\n")
        (mod / "main.go").write_text(code)
        run([go, "build", "-o", "example", "."], env=env, cwd=mod)
        ldd = run(["ldd", mod / "example"], env=env)
        if f"libcontid.so.0 => {prefix / 'lib' / 'libcontid.so.0'}" not in ldd:
            raise Failure(f"the Go example does not use the installed "
                          f"library:\n{ldd}")
        got = run([mod / "example"], env=env, cwd=mod)
        expect_output(f"the Go example of {doc}:{line}", got, want)
        print(f"# go: the example of {doc}:{line} ran as documented")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("srcdir", type=Path)
    ap.add_argument("--meson", default="meson")
    ap.add_argument("--go")
    ap.add_argument("--python")
    args = ap.parse_args()
    srcdir = args.srcdir.resolve()
    tmp = Path(tempfile.mkdtemp(prefix="libcontid-bindings.",
                                dir=os.environ.get("TMPDIR")))
    try:
        found = examples(srcdir)
        prefix = install_library(srcdir, args.meson, tmp)
        if args.python:
            check_python(args.python, srcdir, prefix, tmp, found)
        if args.go:
            check_go(args.go, srcdir, prefix, tmp, found)
    except Failure as e:
        print(f"test-install-bindings: FAIL: {e}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("test-install-bindings: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
