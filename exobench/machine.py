"""The emulated DECstation from Python: a thin wrapper over the C core (csrc/).

Create a machine with a cost preset and a RAM size, load an ELF kernel with
boot modules and parameters, run it until it halts or a limit is reached,
then read its registers, memory, counters, markers, results and console.
Guest misbehaviour becomes a Python exception with the PC and disassembly,
never a host crash.
"""
from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence, Union

from . import constants as K
from . import elf
from ._machine import ffi, lib

PathOrBytes = Union[str, os.PathLike, bytes]

REG_NAMES = ("zero", "at", "v0", "v1", "a0", "a1", "a2", "a3",
             "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7",
             "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7",
             "t8", "t9", "k0", "k1", "gp", "sp", "s8", "ra")
NIC_STAT_FIELDS = ("tx_frames", "tx_bytes", "tx_refused", "tx_lost", "rx_frames", "rx_bytes",
                   "rx_missed", "rx_refused", "rx_dropped", "interrupts")
COUNTER_FIELDS = ("cycles", "insns", "user_cycles", "user_insns", "utlb_refills", "tlb_writes",
                  "icache_misses", "dcache_misses", "wb_stalls", "wb_stall_cycles",
                  "hilo_stall_cycles", "uncached_accesses", "exc_entry_cycles")


class MachineError(Exception):
    """Base of everything the machine reports about a guest."""


class LoadError(MachineError, ValueError):
    """An image could not be placed in the machine (malformed ELF, outside RAM...)."""


class GuestLimitExceeded(MachineError):
    """The guest ran past its instruction limit without halting."""


class DoubleFault(MachineError):
    """An exception vector itself could not be fetched."""


class GuestHalted(MachineError):
    """The guest halted with a non-zero exit code."""


class Stop(enum.IntEnum):
    NONE = lib.STOP_NONE
    HALT = lib.STOP_HALT
    LIMIT = lib.STOP_LIMIT
    DOUBLE_FAULT = lib.STOP_DOUBLE_FAULT
    TRAP = lib.STOP_TRAP
    BAD_STATE = lib.STOP_BAD_STATE
    CYCLES = lib.STOP_CYCLES


@dataclass(frozen=True)
class StopInfo:
    reason: Stop
    code: int           # exit code (HALT) or ExcCode (TRAP, DOUBLE_FAULT)
    pc: int
    insn: int
    badvaddr: int

    def describe(self) -> str:
        where = f"0x{self.pc:08x}: {disasm(self.insn, self.pc)}"
        if self.reason == Stop.HALT:
            return f"guest halted with exit code {self.code} (at {where})"
        if self.reason == Stop.LIMIT:
            return f"guest still running at its instruction limit (at {where})"
        if self.reason == Stop.CYCLES:
            return f"guest reached the cycle it was run until (at {where})"
        exc = K.EXC_NAMES.get(self.code, str(self.code))
        what = f"{K.EXC_DESCRIPTIONS.get(exc, exc)} ({exc})"
        if self.reason == Stop.DOUBLE_FAULT:
            return f"double fault: {what} fetching the exception vector 0x{self.pc:08x}"
        return f"guest stopped: {what} at {where} (insn 0x{self.insn:08x}, BadVAddr 0x{self.badvaddr:08x})"


@dataclass(frozen=True)
class Marker:
    id: int
    pc: int
    asid: int           # the address space that dropped it
    host_ns: int        # host monotonic clock at the snapshot
    counters: dict
    user: bool = True   # dropped in user mode (False: by the kernel)


@dataclass(frozen=True)
class Result:
    name: str
    value: int
    asid: int           # the writer's address space ...
    user: bool          # ... and mode


@dataclass(frozen=True)
class ForeignWrites:
    """User-mode marker or result writes the board refused: not from the report owner."""
    count: int
    pc: int = 0         # the first one
    asid: int = 0
    reg: int = 0
    value: int = 0


@dataclass(frozen=True)
class Hazard:
    pc: int
    insn: int
    prev_insn: int

    def __str__(self) -> str:
        return (f"0x{self.pc:08x}: {disasm(self.insn, self.pc)} reads the register loaded by "
                f"{disasm(self.prev_insn, self.pc - 4)}")


@dataclass(frozen=True)
class Frame:
    """A frame a machine's LANCE put on the wire."""
    start: int          # cycle of its first bit (preamble)
    end: int            # cycle of its last bit
    data: bytes         # without the FCS, padded to ETHER_MIN_LEN


@dataclass(frozen=True)
class BootModule:
    name: str
    data: bytes


@dataclass
class BootLayout:
    """Where boot() put things, for tests and for symbolising profiles."""
    kernel: elf.ElfImage
    modules: dict[str, tuple[int, int]] = field(default_factory=dict)   # name -> (paddr, size)
    bootinfo_paddr: int = 0
    free_paddr: int = 0


def disasm(insn: int, pc: int = 0) -> str:
    buf = ffi.new("char[96]")
    lib.mips_disasm(insn & 0xFFFFFFFF, pc & 0xFFFFFFFF, buf, 96)
    return ffi.string(buf).decode()


def presets() -> dict[str, dict]:
    """Every cost preset with its parameters."""
    out = {}
    for i in range(lib.machine_npresets()):
        p = lib.machine_preset_at(i)
        out[ffi.string(p.name).decode()] = _cost_dict(p)
    return out


def ranges(preset: str) -> dict[str, tuple[float, float]]:
    """The parameters of `preset` the sources leave open, with their plausible (low, high)
    range, as csrc/cost.c argues them."""
    out = {}
    for i in range(lib.machine_nranges(preset.encode())):
        r = lib.machine_range_at(preset.encode(), i)
        out[ffi.string(r.param).decode()] = (r.lo, r.hi)
    return out


def cost_params(preset: str, overrides: Mapping[str, float]):
    """A struct cost_params: the preset's, with `overrides` applied."""
    base = presets().get(preset)
    if base is None:
        raise ValueError(f"unknown cost preset {preset!r}; known: {', '.join(presets())}")
    p = ffi.new("struct cost_params *")
    fields = dict(ffi.typeof("struct cost_params").fields)
    for name, value in {**base, **overrides}.items():
        if name == "name":
            continue
        if name not in fields:
            known = ", ".join(n for n in fields if n != "name")
            raise ValueError(f"unknown cost parameter {name!r}; known: {known}")
        kind = fields[name].type.cname
        if kind == "double":
            setattr(p, name, float(value))
        elif float(value) != int(value) or int(value) < 0:
            raise ValueError(f"cost parameter {name} must be a non-negative integer, not {value!r}")
        else:
            setattr(p, name, int(value))
    p.name = base["name"].encode()[:15]
    return p


def _cost_dict(p) -> dict:
    names = [n for n, _ in ffi.typeof("struct cost_params").fields if n != "name"]
    d = {"name": ffi.string(p.name).decode()}
    d.update({n: getattr(p, n) for n in names})
    return d


def _counters_dict(c) -> dict:
    d = {n: getattr(c, n) for n in COUNTER_FIELDS}
    d["exceptions"] = {name: c.exceptions[code] for code, name in K.EXC_NAMES.items()}
    return d


def phys_of_kseg(addr: int) -> int:
    """Physical address of a kseg0/kseg1 address (or an address that already is physical)."""
    return addr - K.KSEG0_BASE if K.KSEG0_BASE <= addr < K.KSEG2_BASE and addr < K.KSEG1_BASE \
        else addr - K.KSEG1_BASE if K.KSEG1_BASE <= addr < K.KSEG2_BASE else addr


ENGINES = {"fast": lib.ENGINE_FAST, "reference": lib.ENGINE_REFERENCE}


def default_engine() -> str:
    """The engine a Machine gets when none is named: $EXOBENCH_ENGINE, else "fast"."""
    return os.environ.get("EXOBENCH_ENGINE") or "fast"


class Machine:
    """One emulated DECstation: R3000 CPU + TLB, RAM, the system board and a cost model."""

    def __init__(self, preset: str = "ideal", ram_bytes: int = 32 << 20,
                 overrides: Mapping[str, float] | None = None, engine: str | None = None):
        """`preset` names a cost preset (presets()); `overrides` changes some of its
        parameters (ValueError for an unknown name or a model the engine cannot run).
        engine: "fast" (predecoded) or "reference" (the plain interpreter); both give the
        same counters to the last cycle.  Default: $EXOBENCH_ENGINE, else "fast"."""
        if not isinstance(ram_bytes, int) or ram_bytes <= 0:
            raise ValueError(f"ram_bytes must be a positive int, not {ram_bytes!r}")
        engine = engine or default_engine()
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {sorted(ENGINES)}, not {engine!r}")
        if overrides:
            params = cost_params(preset, overrides)
            m = lib.machine_new_params(params, ram_bytes)
        else:
            m = lib.machine_new(preset.encode(), ram_bytes)
        if m == ffi.NULL:
            raise ValueError(ffi.string(lib.machine_last_error()).decode())
        self._m = ffi.gc(m, lib.machine_free)
        lib.machine_set_engine(self._m, ENGINES[engine])
        self.engine = engine
        self.preset = preset
        self.layout: BootLayout | None = None

    # ---- configuration -------------------------------------------------------
    @property
    def cost(self) -> dict:
        return _cost_dict(lib.machine_cost(self._m))

    @property
    def ram_size(self) -> int:
        return lib.machine_ram_size(self._m)

    def reset(self) -> None:
        lib.machine_reset(self._m)

    def trap_on(self, codes: Iterable[int | str]) -> None:
        """Stop run() (Stop.TRAP) when an exception with one of these ExcCodes is taken."""
        mask = 0
        for c in codes:
            mask |= 1 << (getattr(K, "EXC_" + c.upper()) if isinstance(c, str) else int(c))
        lib.machine_set_trap_mask(self._m, mask)

    def set_hazard_check(self, on: bool = True) -> None:
        lib.machine_set_hazard_check(self._m, int(on))

    def set_profile(self, on: bool = True) -> None:
        lib.machine_set_profile(self._m, int(on))

    # ---- memory --------------------------------------------------------------
    def write_phys(self, paddr: int, data: bytes) -> None:
        if lib.machine_phys_write(self._m, paddr, data, len(data)) != 0:
            raise LoadError(f"{len(data)} bytes at physical 0x{paddr:08x} do not fit in "
                            f"{self.ram_size >> 20} MiB of RAM")

    def read_phys(self, paddr: int, n: int) -> bytes:
        buf = ffi.new("uint8_t[]", n)
        if lib.machine_phys_read(self._m, paddr, buf, n) != 0:
            raise ValueError(f"{n} bytes at physical 0x{paddr:08x} are outside RAM")
        return bytes(ffi.buffer(buf, n))

    def read_u32(self, paddr: int) -> int:
        return int.from_bytes(self.read_phys(paddr, 4), "little")

    def write_u32(self, paddr: int, value: int) -> None:
        self.write_phys(paddr, (value & 0xFFFFFFFF).to_bytes(4, "little"))

    def write_words(self, paddr: int, words: Sequence[int]) -> None:
        self.write_phys(paddr, b"".join((w & 0xFFFFFFFF).to_bytes(4, "little") for w in words))

    def virt_to_phys(self, va: int) -> int | None:
        pa = ffi.new("uint32_t *")
        return pa[0] if lib.machine_virt_to_phys(self._m, va & 0xFFFFFFFF, pa) == 0 else None

    def read_virt(self, va: int, n: int) -> bytes:
        """Read through the current mode's translation (for debugging; no exceptions raised)."""
        out = bytearray()
        while n > 0:
            pa = self.virt_to_phys(va)
            if pa is None:
                raise ValueError(f"virtual address 0x{va:08x} is not mapped")
            chunk = min(n, K.PAGE_SIZE - (va & (K.PAGE_SIZE - 1)))
            out += self.read_phys(pa, chunk)
            va, n = va + chunk, n - chunk
        return bytes(out)

    # ---- registers -----------------------------------------------------------
    def reg(self, r: int | str) -> int:
        return lib.machine_get_gpr(self._m, self._regno(r))

    def set_reg(self, r: int | str, value: int) -> None:
        lib.machine_set_gpr(self._m, self._regno(r), value & 0xFFFFFFFF)

    @staticmethod
    def _regno(r: int | str) -> int:
        if isinstance(r, str):
            name = r.lstrip("$")
            if name == "fp":
                name = "s8"
            if name not in REG_NAMES:
                raise ValueError(f"unknown register {r!r}")
            return REG_NAMES.index(name)
        if not 0 <= r < 32:
            raise ValueError(f"register number {r} out of range")
        return r

    @property
    def regs(self) -> list[int]:
        return [lib.machine_get_gpr(self._m, i) for i in range(32)]

    @property
    def pc(self) -> int:
        return lib.machine_get_pc(self._m)

    @pc.setter
    def pc(self, value: int) -> None:
        lib.machine_set_pc(self._m, value & 0xFFFFFFFF)

    @property
    def hi(self) -> int:
        return lib.machine_get_hi(self._m)

    @property
    def lo(self) -> int:
        return lib.machine_get_lo(self._m)

    def set_hilo(self, hi: int, lo: int) -> None:
        lib.machine_set_hilo(self._m, hi & 0xFFFFFFFF, lo & 0xFFFFFFFF)

    def cp0(self, reg: int) -> int:
        return lib.machine_get_cp0(self._m, reg)

    def set_cp0(self, reg: int, value: int) -> None:
        lib.machine_set_cp0(self._m, reg, value & 0xFFFFFFFF)

    def tlb(self, i: int) -> tuple[int, int]:
        e = lib.machine_get_tlb(self._m, i)
        return e.hi, e.lo

    def set_tlb(self, i: int, hi: int, lo: int) -> None:
        lib.machine_set_tlb(self._m, i, hi & 0xFFFFFFFF, lo & 0xFFFFFFFF)

    # ---- loading and booting ---------------------------------------------------
    def load_elf(self, image: PathOrBytes | elf.ElfImage) -> elf.ElfImage:
        """Copy every PT_LOAD segment to its physical address (kseg0/kseg1 addresses are
        translated); the bytes past filesz up to memsz are zeroed."""
        try:
            img = image if isinstance(image, elf.ElfImage) else elf.load(image)
        except elf.ElfError as exc:
            raise LoadError(f"malformed ELF image: {exc}") from exc
        for seg in img.segments:
            pa = phys_of_kseg(seg.paddr)
            if pa + seg.memsz > self.ram_size or pa >= K.KSEG0_BASE:
                raise LoadError(f"segment at 0x{seg.paddr:08x} (+0x{seg.memsz:x}) lies outside "
                                f"{self.ram_size >> 20} MiB of RAM")
            self.write_phys(pa, seg.data + bytes(seg.memsz - seg.filesz))
        return img

    def boot(self, kernel: PathOrBytes | elf.ElfImage,
             modules: Mapping[str, PathOrBytes] | Sequence[BootModule] = (),
             params: Mapping[str, int] | None = None) -> BootLayout:
        """Reset, load the kernel, place boot modules and the boot-info block after it, and
        set the CPU up as board.h describes (a0 = boot info, a1 = BOOTINFO_MAGIC)."""
        self.reset()
        img = self.load_elf(kernel)
        mods = [m if isinstance(m, BootModule) else BootModule(m[0], _read(m[1]))
                for m in (modules.items() if isinstance(modules, Mapping) else modules)]
        params = dict(params or {})
        if len(mods) > K.BOOT_MAX_MODULES:
            raise LoadError(f"at most {K.BOOT_MAX_MODULES} boot modules, not {len(mods)}")
        if len(params) > K.BOOT_MAX_PARAMS:
            raise LoadError(f"at most {K.BOOT_MAX_PARAMS} boot parameters, not {len(params)}")
        top = max((phys_of_kseg(s.paddr) + s.memsz for s in img.segments), default=0)
        layout = BootLayout(kernel=img)
        here = _page_up(top)
        for mod in mods:
            _check_name(mod.name, "module")
            self.write_phys(here, mod.data)
            layout.modules[mod.name] = (here, len(mod.data))
            here = _page_up(here + len(mod.data))
        layout.bootinfo_paddr = here
        layout.free_paddr = _page_up(here + K.BOOTINFO_SIZE)
        if layout.free_paddr > self.ram_size:
            raise LoadError("kernel, modules and boot info do not fit in RAM")
        self.write_phys(here, _bootinfo(self.ram_size, layout, params))
        self.pc = img.entry
        self.set_reg("a0", K.KSEG0_BASE + here)
        self.set_reg("a1", K.BOOTINFO_MAGIC)
        self.layout = layout
        return layout

    # ---- running ---------------------------------------------------------------
    def run(self, max_insns: int = 10**9, *, check: bool = True) -> StopInfo:
        """Run until the guest halts, traps (see trap_on) or max_insns retire (or max_insns
        instructions fault: a faulting instruction does not retire, and a guest caught in
        a fault loop must still come back).

        With check=True (the default) a limit, a double fault or a non-zero exit raise
        MachineError subclasses; with check=False the StopInfo is returned in every case."""
        if max_insns < 0:
            raise ValueError("max_insns must be >= 0")
        lib.machine_run(self._m, max_insns)
        info = self.stop_info()
        if check:
            if info.reason == Stop.LIMIT:
                raise GuestLimitExceeded(info.describe() + self._console_tail())
            if info.reason == Stop.DOUBLE_FAULT:
                raise DoubleFault(info.describe() + self._console_tail())
            if info.reason == Stop.HALT and info.code != 0:
                raise GuestHalted(info.describe() + self._console_tail())
        return info

    def stop_info(self) -> StopInfo:
        s = lib.machine_stop_info(self._m)
        return StopInfo(Stop(s.reason), s.code, s.pc, s.insn, s.badvaddr)

    def _console_tail(self, n: int = 800) -> str:
        text = self.console()
        return f"\n--- console (last {n} chars) ---\n{text[-n:]}" if text else ""

    # ---- observations ----------------------------------------------------------
    def counters(self) -> dict:
        return _counters_dict(lib.machine_counters(self._m))

    def markers(self) -> list[Marker]:
        arr = lib.machine_markers(self._m)
        return [Marker(arr[i].id, arr[i].pc, arr[i].asid, arr[i].host_ns, _counters_dict(arr[i].c),
                       bool(arr[i].user))
                for i in range(lib.machine_nmarkers(self._m))]

    def results(self) -> list[tuple[str, int]]:
        """The result channel: (name, value) in the order the guest reported them."""
        return [(r.name, r.value) for r in self.result_records()]

    def result_records(self) -> list[Result]:
        """The result channel with each writer's address space and mode."""
        arr = lib.machine_results(self._m)
        return [Result(ffi.string(arr[i].name).decode(errors="replace"), arr[i].value, arr[i].asid,
                       bool(arr[i].user))
                for i in range(lib.machine_nresults(self._m))]

    def foreign_writes(self) -> ForeignWrites:
        first = ffi.new("struct foreign_write *")
        n = lib.machine_foreign_writes(self._m, first)
        return ForeignWrites(n, first.pc, first.asid, first.reg, first.value) if n else ForeignWrites(0)

    def set_entropy_seed(self, seed: int) -> None:
        """Seed the board's entropy register (used from the next boot/reset on).  The
        default seed is fixed, so runs repeat; cycle counts never depend on the seed."""
        if not isinstance(seed, int) or not 0 <= seed < 1 << 64:
            raise ValueError(f"entropy seed must be an int in [0, 2**64), not {seed!r}")
        lib.machine_set_entropy_seed(self._m, seed)

    # ---- the network (csrc/nic.c, include/lance.h) ------------------------------
    @property
    def station(self) -> int:
        """The station number in the NIC's address ROM (Ethernet 08-00-2b + 24 bits)."""
        return lib.machine_nic_station(self._m)

    def set_station(self, station: int) -> None:
        if not isinstance(station, int) or not 0 <= station < 1 << 24:
            raise ValueError(f"a station number is a 24-bit int, not {station!r}")
        lib.machine_nic_set_station(self._m, station)

    def nic_params(self) -> dict:
        p = lib.machine_nic_params(self._m)
        return {f: getattr(p, f) for f in ("mbit_s", "tx_start_us", "rx_dma_us")}

    def set_nic_params(self, **changes: float) -> None:
        """Change some of the NIC's timing parameters (ValueError for a bad one)."""
        p = ffi.new("struct nic_params *", self.nic_params())
        for k, v in changes.items():
            if k not in ("mbit_s", "tx_start_us", "rx_dma_us"):
                raise ValueError(f"unknown NIC parameter {k!r}")
            setattr(p, k, float(v))
        if lib.machine_nic_set_params(self._m, p):
            raise ValueError(ffi.string(lib.machine_last_error()).decode())

    def nic_inject(self, cycle: int, frame: bytes) -> None:
        """Test hook: a frame (without FCS) whose last bit reaches the NIC at `cycle`."""
        if lib.machine_nic_inject(self._m, cycle, frame, len(frame)):
            raise ValueError(ffi.string(lib.machine_last_error()).decode())

    def nic_sent(self) -> list[Frame]:
        """The frames transmitted since the last call (oldest first)."""
        f = ffi.new("struct nic_frame *")
        out = []
        while lib.machine_nic_take(self._m, f):
            out.append(Frame(f.start, f.end, bytes(ffi.buffer(f.data, f.len))))
        return out

    def nic_stats(self) -> dict:
        s = lib.machine_nic_stats(self._m)
        return {f: getattr(s, f) for f in NIC_STAT_FIELDS}

    def run_until(self, cycle: int, max_insns: int = 10**9) -> StopInfo:
        """Run to the first instruction boundary at or after `cycle` (Stop.CYCLES), or
        until the guest stops otherwise; never raises for the guest's behaviour."""
        if max_insns < 0 or cycle < 0:
            raise ValueError("cycle and max_insns must be >= 0")
        lib.machine_run_until(self._m, cycle, max_insns)
        return self.stop_info()

    def console(self) -> str:
        n = ffi.new("uint32_t *")
        p = lib.machine_console(self._m, n)
        return bytes(ffi.buffer(p, n[0])).decode(errors="replace")

    def hazards(self) -> tuple[int, list[Hazard]]:
        """(total count, the first few) load-use hazards seen with the checker on."""
        arr = lib.machine_hazards(self._m)
        return (lib.machine_hazard_total(self._m),
                [Hazard(arr[i].pc, arr[i].insn, arr[i].prev_insn) for i in range(lib.machine_nhazards(self._m))])

    def profile(self) -> list[tuple[int, int, int, int]]:
        """[(pc, asid, count, cycles)] for every instruction executed with the profile on."""
        n = lib.machine_profile_entries(self._m, ffi.NULL, 0)
        buf = ffi.new("struct profile_entry[]", max(n, 1))
        n = lib.machine_profile_entries(self._m, buf, n)
        return [(buf[i].pc, buf[i].asid, buf[i].count, buf[i].cycles) for i in range(n)]


def _read(src: PathOrBytes) -> bytes:
    if isinstance(src, (bytes, bytearray)):
        return bytes(src)
    with open(src, "rb") as f:
        return f.read()


def _page_up(x: int) -> int:
    return (x + K.PAGE_SIZE - 1) & ~(K.PAGE_SIZE - 1)


def _check_name(name: str, what: str) -> bytes:
    raw = name.encode()
    if not raw or len(raw) >= K.BOOT_NAME_LEN:
        raise LoadError(f"boot {what} name {name!r} must be 1..{K.BOOT_NAME_LEN - 1} bytes")
    return raw


def _bootinfo(ram_size: int, layout: BootLayout, params: Mapping[str, int]) -> bytes:
    def u32(v: int) -> bytes:
        return (v & 0xFFFFFFFF).to_bytes(4, "little")

    def name(s: str, what: str) -> bytes:
        return _check_name(s, what).ljust(K.BOOT_NAME_LEN, b"\0")

    out = bytearray(u32(K.BOOTINFO_MAGIC) + u32(ram_size) + u32(layout.free_paddr)
                    + u32(len(layout.modules)) + u32(len(params)))
    for mname, (pa, size) in layout.modules.items():
        out += u32(pa) + u32(size) + name(mname, "module")
    out += bytes(K.BI_PARAMS - len(out))
    for pname, value in params.items():
        if not isinstance(value, int):
            raise LoadError(f"boot parameter {pname!r} must be an int, not {value!r}")
        out += name(pname, "parameter") + u32(value)
    out += bytes(K.BOOTINFO_SIZE - len(out))
    return bytes(out)


class Cluster:
    """Machines on one emulated Ethernet, run together in C (csrc/cosim.c).

    Boot every machine first (each with its own kernel, modules and params); the
    cluster numbers them: machine i is station i + 1.  All must share one cost model.
    run() interleaves them in exact lock-step until the machines in `until` have
    halted; the frames between them never pass through Python."""

    def __init__(self, machines: Sequence[Machine], *, mbit_s: float = 10.0, fixed_us: float = 1.0):
        self.machines = list(machines)
        for i, m in enumerate(self.machines):
            if not isinstance(m, Machine):
                raise TypeError(f"machine {i} is not a Machine")
            m.set_station(i + 1)
        arr = ffi.new("machine_t *[]", [m._m for m in self.machines] or 1)
        link = ffi.new("struct link_params *", {"mbit_s": float(mbit_s), "fixed_us": float(fixed_us)})
        c = lib.cosim_new(arr, len(self.machines), link)
        if c == ffi.NULL:
            raise ValueError(ffi.string(lib.machine_last_error()).decode())
        self._c = ffi.gc(c, lib.cosim_free)

    @property
    def quantum(self) -> int:
        """Cycles each machine runs before the frames sent meanwhile are delivered."""
        return lib.cosim_quantum(self._c)

    def set_quantum(self, cycles: int) -> None:
        """A shorter quantum; the results must not change (exactness, cosim.c)."""
        if lib.cosim_set_quantum(self._c, cycles):
            raise ValueError(ffi.string(lib.machine_last_error()).decode())

    def run(self, until: Iterable[int] = (0,), max_insns: int = 10**9, *, check: bool = True) -> list[StopInfo]:
        """Run until every machine in `until` halts (or one stops otherwise, or retires
        max_insns of its own); return each machine's StopInfo.  With check=True a
        machine's limit, double fault, trap or non-zero exit raises as Machine.run does."""
        mask = 0
        for i in until:
            if not 0 <= i < len(self.machines):
                raise ValueError(f"no machine {i} in a cluster of {len(self.machines)}")
            mask |= 1 << i
        if max_insns < 0:
            raise ValueError("max_insns must be >= 0")
        lib.cosim_run(self._c, mask, max_insns)
        infos = [m.stop_info() for m in self.machines]
        who = lib.cosim_stopped(self._c)
        if check and who >= 0:
            m, info = self.machines[who], infos[who]
            what = f"machine {who}: {info.describe()}{m._console_tail()}"
            if info.reason == Stop.LIMIT:
                raise GuestLimitExceeded(what)
            if info.reason == Stop.DOUBLE_FAULT:
                raise DoubleFault(what)
            if info.reason == Stop.HALT:
                raise GuestHalted(what)
            raise MachineError(what)
        return infos

    def stats(self) -> dict:
        return {"quantum": lib.cosim_quantum(self._c), "delivered": lib.cosim_delivered(self._c),
                "undeliverable": lib.cosim_undeliverable(self._c)}
