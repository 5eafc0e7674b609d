"""The binding must wrap the whole C API: every function lib/libcontid.sym
exports is declared in contid._lib.FUNCTIONS and called from the package,
and every CONTID_* macro of lib/contid.h has its value in contid.C_MACROS.
A function or a macro added to the library fails these tests until the
binding covers it."""

import re
from pathlib import Path

import contid
from contid import _lib

# bindings/python/tests/ of the libcontid source tree
SOURCE_ROOT = Path(__file__).resolve().parents[3]
PACKAGE = Path(contid.__file__).resolve().parent


def exported_functions():
    sym = (SOURCE_ROOT / "lib" / "libcontid.sym").read_text()
    names = set(re.findall(r"(?m)^\s+(contid_[a-z0-9_]+);", sym))
    assert len(names) >= 50
    return names


def test_declares_every_exported_function():
    exported = exported_functions()
    declared = set(_lib.FUNCTIONS)
    assert exported - declared == set(), "exported but not declared"
    assert declared - exported == set(), "declared but not exported"


def test_calls_every_exported_function():
    source = (PACKAGE / "__init__.py").read_text()
    called = set(re.findall(r"_c\.(contid_[a-z0-9_]+)\b", source))
    assert exported_functions() - called == set(), "never called"


def test_every_header_constant():
    header = (SOURCE_ROOT / "lib" / "contid.h").read_text()
    macros = dict(re.findall(r"(?m)^#define (CONTID_[A-Z0-9_]+)\s+(\S+)",
                             header))
    macros.pop("CONTID_H", None)
    assert len(macros) >= 20
    assert set(macros) == set(contid.C_MACROS)
    for name, text in macros.items():
        value = (2**64 - 1 if text == "UINT64_MAX"
                 else int(text.rstrip("uU"), 0))
        assert contid.C_MACROS[name] == value, name


def test_package_version_is_the_project_version():
    meson = (SOURCE_ROOT / "meson.build").read_text()
    project = re.search(r"(?m)^\s*version: '([^']+)'", meson).group(1)
    pyproject = (PACKAGE.parent / "pyproject.toml").read_text()
    package = re.search(r'(?m)^version = "([^"]+)"', pyproject).group(1)
    assert package == project
