"""The guest toolchain: compile and link guest C and MIPS assembly into cached ELF images.

Why it looks like this (docs/design.md#guest-toolchain-and-image-cache,
docs/references.md#toolchain):

* clang and lld come from the pinned ``ziglang`` wheel, run as ``python -m ziglang``, so a
  fresh machine needs nothing beyond pip.
* One flag set, ``CFLAGS``, for every guest -- both kernels, the library OS, every benchmark
  and the tests' runtime.  A different flag or clang changes instruction counts, and the
  comparison is only fair if both kernels are built alike.
* Images are cached under a content hash of everything that can change the output: the
  sources, every header the include path can reach, flags, defines, entry symbol, linker
  script and toolchain version.  A cache hit starts no process.  After a real build the
  compiler's dependency lists are checked against what was hashed, so a header the hash
  missed is an error, never a silently stale image.
* Builds happen in a temporary directory inside the cache and the finished ELF is renamed
  into place, so concurrent test processes never see half-written files.
"""
from __future__ import annotations

import concurrent.futures
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Optional, Sequence, Union

from . import elf, paths

__all__ = ["CFLAGS", "HOST_CFLAGS", "Image", "ToolchainError", "build_host_program", "build_image", "cache_dir",
           "toolchain_version"]

log = logging.getLogger(__name__)

CFLAGS: tuple[str, ...] = (
    "-target", "mipsel-freestanding-none",
    "-mcpu=mips1+noabicalls",  # plain -mcpu=mips1 turns abicalls back on (docs/references.md#toolchain-findings item 1)
    "-O2",
    "-ffreestanding",
    "-fno-pic",
    "-mno-abicalls",
    "-G0",
    "-msoft-float",
    "-fno-builtin",
    "-fomit-frame-pointer",
    "-fno-asynchronous-unwind-tables",
    "-fno-unwind-tables",
    # Not in the original flag list, measured here (docs/references.md#toolchain-findings
    # item 8): for every div/divu clang 22 (even with
    # -mcpu=mips1) adds "teq $divisor, $zero, 7", a MIPS II instruction that is a Reserved
    # Instruction on the R3000 -- so every division would trap.  No option makes it emit
    # MIPS-I "bnez; break 7" instead; without the check a division by zero just leaves
    # HI/LO unpredictable, as on the real R3000.
    "-mno-check-zero-division",
)

SOURCE_SUFFIXES = (".c", ".S")
# Files under an include directory that go into the cache key.  Anything else a guest
# #includes is caught by the dependency check after the build (_check_deps).
HEADER_SUFFIXES = (".h", ".inc")

_CACHE_FORMAT = "exobench-image-1"  # bump when the build recipe below changes
_NOISE = re.compile(r"^warning: MIPS-I support is experimental\s*$")  # clang says it every time
_NAME = re.compile(r"^[A-Za-z0-9_.+-]+$")

Define = Union[str, int, None]


class ToolchainError(RuntimeError):
    """A compile or link failed.  ``cmd`` is the failing command line, ``stderr`` the tool's
    (filtered, trimmed) diagnostics."""

    def __init__(self, message: str, cmd: Sequence[str] = (), stderr: str = "") -> None:
        self.cmd = list(cmd)
        self.stderr = stderr
        text = message
        if self.cmd:
            text += f"\n  command: {shlex.join(self.cmd)}"
        if stderr:
            text += "\n" + stderr
        super().__init__(text)


@dataclass(frozen=True)
class Image:
    """A linked guest executable in the image cache."""

    name: str
    path: Path  # the ELF file
    hash: str  # sha256 of everything that went into it (hex)

    def symbols(self) -> dict[str, int]:
        """Symbol name -> address, from the ELF symbol table."""
        return elf.load(self.path).symbols


# ---- where things are -------------------------------------------------------------------


def cache_dir() -> Path:
    """$EXOBENCH_CACHE, else <checkout>/.cache/images, else ~/.cache/exobench/images."""
    env = os.environ.get("EXOBENCH_CACHE")
    if env:
        path = Path(env)
    elif (root := paths.repo_root()) is not None:
        path = root / ".cache" / "images"
    else:
        path = Path.home() / ".cache" / "exobench" / "images"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _ziglang_dir() -> Path:
    spec = importlib.util.find_spec("ziglang")
    if spec is None or not spec.submodule_search_locations:
        raise ToolchainError("the ziglang package is not installed (pip install ziglang)")
    return Path(list(spec.submodule_search_locations)[0]).resolve()


def _zig(*args: str) -> list[str]:
    return [sys.executable, "-m", "ziglang", *args]


def _run(cmd: Sequence[str], cwd: Optional[Path] = None) -> subprocess.CompletedProcess:
    """The one place that starts a tool; tests replace it to prove a cache hit runs nothing."""
    return subprocess.run(list(cmd), cwd=cwd, capture_output=True, text=True)


def _clean(stderr: str) -> str:
    """Tool diagnostics minus clang's per-file "MIPS-I support is experimental" warning."""
    return "\n".join(l for l in stderr.splitlines() if not _NOISE.match(l)).strip()


def _checked(cmd: Sequence[str], what: str, cwd: Optional[Path] = None) -> None:
    proc = _run(cmd, cwd)
    diag = _clean(proc.stderr + proc.stdout)
    if proc.returncode != 0:
        raise ToolchainError(f"{what} failed (exit {proc.returncode})", cmd, diag)
    if diag:
        log.warning("%s:\n%s", what, diag)


# ---- toolchain version ------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def toolchain_version() -> str:
    """E.g. "zig 0.17.1, clang version 22.1.8".  Goes into every image hash and result.

    Asking zig costs two process starts, so the answer is also kept on disk, keyed by the
    zig binary's identity, so that cache hits in fresh processes start nothing."""
    zig_dir = _ziglang_dir()
    binary = next((p for p in (zig_dir / "zig", zig_dir / "zig.exe") if p.is_file()), zig_dir)
    st = binary.stat()
    ident = f"{binary}|{st.st_size}|{st.st_mtime_ns}|{importlib.metadata.version('ziglang')}"
    memo = cache_dir() / f"toolchain-{hashlib.sha256(ident.encode()).hexdigest()[:16]}.txt"
    if memo.is_file():
        return memo.read_text().strip()
    zig = _run(_zig("version"))
    clang = _run(_zig("cc", "--version"))
    if zig.returncode or clang.returncode or not clang.stdout.strip():
        raise ToolchainError("cannot get the toolchain version", _zig("cc", "--version"),
                             _clean(zig.stderr + clang.stderr))
    version = f"zig {zig.stdout.strip()}, {clang.stdout.strip().splitlines()[0]}"
    _write_atomically(memo, version.encode())
    return version


# ---- building ---------------------------------------------------------------------------


def build_image(
    name: str,
    sources: Sequence[Union[str, os.PathLike]],
    linker_script: Union[str, os.PathLike],
    include_dirs: Iterable[Union[str, os.PathLike]] = (),
    defines: Optional[Mapping[str, Define]] = None,
    entry: str = "_start",
) -> Image:
    """Compile ``sources`` (.c and .S) with CFLAGS and link them with ``linker_script``.

    ``include_dirs`` come before include/ (the guest-visible contracts: board.h, r3000.h,
    osapi.h, o32.h) and guestlib/ (the code every guest links), which are always on the path;
    ``defines`` map to ``-DNAME=value`` (``None``: plain ``-DNAME``).  Returns the cached
    image when one with the same content hash exists, without starting any tool."""
    if not _NAME.match(name):
        raise ValueError(f"image name {name!r} must match {_NAME.pattern}")
    srcs = [Path(s).resolve() for s in sources]
    if not srcs:
        raise ValueError(f"image {name!r}: no sources")
    for src in srcs:
        if src.suffix not in SOURCE_SUFFIXES:
            raise ValueError(f"{src}: not a guest source ({' or '.join(SOURCE_SUFFIXES)})")
    script = Path(linker_script).resolve()
    incs = _unique([Path(d).resolve() for d in include_dirs] + [paths.tree("include"), paths.tree("guestlib")])
    flags = list(CFLAGS) + [f"-I{d}" for d in incs] + _define_flags(defines or {})

    # A source's own directory is searched first for #include "..."; hash it too.
    searched = _unique(incs + [s.parent for s in srcs])
    key, covered = _fingerprint(name, srcs, script, searched, flags, entry)
    path = cache_dir() / f"{name}-{key[:16]}.elf"
    if not path.is_file():
        _build(srcs, script, flags, entry, set(covered) | set(srcs), path)
    return Image(name=name, path=path, hash=key)


HOST_CFLAGS: tuple[str, ...] = ("-O2", "-Wall")


def build_host_program(name: str, sources: Sequence[Union[str, os.PathLike]]) -> Path:
    """Compile C `sources` into an executable for the machine running exobench (the same
    pinned clang, targeting the host), cached by content hash like guest images.  For
    measuring today's kernel beside the emulated ones (benchmarks/host)."""
    if not _NAME.match(name):
        raise ValueError(f"program name {name!r} must match {_NAME.pattern}")
    srcs = [Path(s).resolve() for s in sources]
    h = hashlib.sha256()
    for part in (_CACHE_FORMAT, "host", toolchain_version(), json.dumps(HOST_CFLAGS), name,
                 *(s.name + ":" + s.read_bytes().hex() for s in srcs)):
        h.update(part.encode() + b"\0")
    path = cache_dir() / f"{name}-host-{h.hexdigest()[:16]}"
    if not path.is_file():
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}-", dir=path.parent))
        try:
            out = tmp / name
            _checked(_zig("cc", *HOST_CFLAGS, *map(str, srcs), "-o", str(out)), f"compiling {name} for the host", tmp)
            os.replace(out, path)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return path


def _define_flags(defines: Mapping[str, Define]) -> list[str]:
    out = []
    for key, value in sorted(defines.items()):
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", key):
            raise ValueError(f"bad macro name {key!r}")
        out.append(f"-D{key}" if value is None else f"-D{key}={value}")
    return out


def _unique(dirs: list[Path]) -> list[Path]:
    return list(dict.fromkeys(dirs))


def _headers(directory: Path) -> list[Path]:
    """Header files under ``directory``, skipping hidden and cache directories (.venv!)."""
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        found += [Path(root, f) for f in sorted(files) if f.endswith(HEADER_SUFFIXES)]
    return found


def _fingerprint(name: str, srcs: list[Path], script: Path, searched: list[Path],
                 flags: list[str], entry: str) -> tuple[str, list[Path]]:
    """The content hash of one image and the header files it covers.

    Flags are hashed without their -I paths (which depend on where the tree is checked out);
    the include directories enter through their position and their headers' contents."""
    h = hashlib.sha256()

    def add(tag: str, payload: Union[str, bytes]) -> None:
        data = payload.encode() if isinstance(payload, str) else payload
        h.update(f"{tag}:{len(data)}:".encode() + data)

    add("format", _CACHE_FORMAT)
    add("toolchain", toolchain_version())
    add("flags", json.dumps([f for f in flags if not f.startswith("-I")]))
    add("name", name)
    add("entry", entry)
    add("script", script.read_bytes())
    for src in srcs:
        add("source", src.name)
        add("bytes", src.read_bytes())
    covered = []
    for index, directory in enumerate(searched):
        for header in _headers(directory):
            add("header", f"{index}/{header.relative_to(directory).as_posix()}")
            add("bytes", header.read_bytes())
            covered.append(header)
    return h.hexdigest(), covered


def _build(srcs: list[Path], script: Path, flags: list[str], entry: str,
           covered: set[Path], dest: Path) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.stem}-", dir=dest.parent))
    try:
        jobs = []
        for i, src in enumerate(srcs):
            obj = tmp / f"{i:02d}-{src.stem}.o"
            dep = obj.with_suffix(".d")
            cmd = _zig("cc", *flags, "-MD", "-MF", str(dep), "-c", str(src), "-o", str(obj))
            jobs.append((src, obj, dep, cmd))
        workers = min(len(jobs), os.cpu_count() or 1)
        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_checked, cmd, f"compiling {src.name}", tmp)
                       for src, _, _, cmd in jobs]
            for future in futures:  # the first failure in source order wins
                future.result()
        for src, _, dep, _ in jobs:
            _check_deps(src, dep, covered)
        out = tmp / "image.elf"
        _checked(_zig("ld.lld", "-T", str(script), "-e", entry,
                      *(str(obj) for _, obj, _, _ in jobs), "-o", str(out)),
                 f"linking {dest.name}", tmp)
        try:
            elf.load(out)  # refuse to cache something the loader would reject
        except elf.ElfError as exc:
            raise ToolchainError(f"{dest.name}: the linked image is not loadable: {exc}") from exc
        os.replace(out, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _check_deps(src: Path, depfile: Path, covered: set[Path]) -> None:
    """Every file the compiler read must be in the hash or belong to the toolchain."""
    text = depfile.read_text().replace("\\\n", " ")
    _target, _, deps = text.partition(": ")
    toolchain = _ziglang_dir()
    for token in re.split(r"(?<!\\)\s+", deps.strip()):
        if not token:
            continue
        dep = (depfile.parent / token.replace("\\ ", " ")).resolve()
        if dep in covered or dep.is_relative_to(toolchain):
            continue
        raise ToolchainError(
            f"{src} includes {dep}, which the image cache key does not cover: give it a "
            f"{' or '.join(HEADER_SUFFIXES)} suffix inside an include directory, or list it as a source")


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
