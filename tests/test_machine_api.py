"""The Python API of the machine: construction, loading, booting, stop reasons and errors."""
import pytest

from exobench import constants as K
from exobench.machine import (DoubleFault, GuestHalted, GuestLimitExceeded, LoadError, Machine,
                              Stop, presets)

from conftest import HALT, load_program
from helpers import build_selfcheck


def test_presets_are_documented_and_distinct():
    p = presets()
    assert {"ideal", "dec5000"} <= set(p)
    assert p["ideal"]["caches"] == 0 and p["dec5000"]["caches"] == 1
    assert p["ideal"]["mult_cycles"] == 12 and p["ideal"]["div_cycles"] == 35
    assert p["dec5000"]["clock_mhz"] == 25.0


@pytest.mark.parametrize("kwargs, message", [
    ({"preset": "pdp11"}, "unknown cost preset 'pdp11'"),
    ({"ram_bytes": 1000}, "multiple of 4096"),
    ({"ram_bytes": 0}, "positive"),
    ({"ram_bytes": 0x20000000}, "below"),
])
def test_bad_construction_is_a_clear_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Machine(**kwargs)


@pytest.mark.parametrize("data", [b"", b"junk", b"\x7fELF" + bytes(60), b"\x7fELF\x02\x01\x01" + bytes(57)])
def test_malformed_elf_is_a_load_error(data):
    with pytest.raises(LoadError, match="malformed ELF"):
        Machine().load_elf(data)


def test_truncated_real_elf_is_a_load_error():
    raw = build_selfcheck().path.read_bytes()
    with pytest.raises(LoadError):
        Machine().load_elf(raw[: len(raw) // 3])


def test_segment_outside_ram_is_refused():
    with pytest.raises(LoadError, match="outside"):
        Machine("ideal", 64 << 10).load_elf(build_selfcheck().path)


def test_boot_writes_the_bootinfo_block_of_board_h():
    m = Machine("ideal", 4 << 20)
    img = build_selfcheck().path
    layout = m.boot(img, modules={"first": b"abc", "second": b"x" * 5000}, params={"reps": 7, "n": 0xFFFFFFFF})
    bi = layout.bootinfo_paddr
    word = lambda off: m.read_u32(bi + off)  # noqa: E731
    assert word(K.BI_MAGIC) == K.BOOTINFO_MAGIC
    assert word(K.BI_RAM_SIZE) == 4 << 20
    assert word(K.BI_NMODULES) == 2 and word(K.BI_NPARAMS) == 2
    assert word(K.BI_FREE_PADDR) == layout.free_paddr >= bi + K.BOOTINFO_SIZE
    first, second = K.BI_MODULES, K.BI_MODULES + K.BI_MODULE_SIZE
    assert m.read_phys(word(first), 3) == b"abc" and word(first + 4) == 3
    assert word(second + 4) == 5000 and word(second) % K.PAGE_SIZE == 0
    assert m.read_phys(bi + second + 8, 7) == b"second\0"
    assert m.read_phys(bi + K.BI_PARAMS, 5) == b"reps\0"
    assert word(K.BI_PARAMS + K.BOOT_NAME_LEN) == 7
    assert m.reg("a0") == K.KSEG0_BASE + bi and m.reg("a1") == K.BOOTINFO_MAGIC
    assert m.cp0(K.C0_STATUS) == K.SR_BEV


def test_bad_boot_arguments_are_refused():
    img = build_selfcheck().path
    with pytest.raises(LoadError, match="name"):
        Machine().boot(img, modules={"x" * 40: b""})
    with pytest.raises(LoadError, match="parameters"):
        Machine().boot(img, params={f"p{i}": i for i in range(K.BOOT_MAX_PARAMS + 1)})
    with pytest.raises(LoadError, match="int"):
        Machine().boot(img, params={"p": "seven"})


def test_nonzero_exit_raises_with_console(machine):
    load_program(machine, f"""
        lui $k1, 0xbf00
        addiu $t0, $zero, 0x41
        sw $t0, {K.BOARD_CONSOLE}($k1)
        addiu $t0, $zero, 3
        sw $t0, {K.BOARD_HALT}($k1)
    """)
    with pytest.raises(GuestHalted, match=r"exit code 3(.|\n)*console(.|\n)*A"):
        machine.run(100)
    assert machine.stop_info().reason == Stop.HALT


def test_limit_raises_with_pc_and_disassembly(machine):
    load_program(machine, "spin: b spin; nop")
    with pytest.raises(GuestLimitExceeded, match=r"0x8000100[04]: (beq \$zero, \$zero, 0x80001000|nop)"):
        machine.run(1000)
    assert machine.counters()["insns"] == 1000
    assert machine.run(10, check=False).reason == Stop.LIMIT


def test_bev_exception_with_no_rom_is_a_double_fault(machine):
    load_program(machine, "syscall")
    with pytest.raises(DoubleFault, match="0xbfc00180"):
        machine.run(100)


def test_trap_describes_the_instruction(machine):
    load_program(machine, ".word 0xfc000000\n" + HALT)
    machine.trap_on(["RI"])
    info = machine.run(100, check=False)
    assert info.reason == Stop.TRAP and info.code == K.EXC_RI
    assert "reserved instruction (RI) at 0x80001000: .word 0xfc000000" in info.describe()


def test_registers_by_name_and_number(machine):
    machine.set_reg("sp", 0x1234)
    assert machine.reg(29) == 0x1234 == machine.reg("$sp")
    machine.set_reg("zero", 5)
    assert machine.reg("zero") == 0
    with pytest.raises(ValueError):
        machine.reg("r99")


def test_engine_from_the_environment(monkeypatch):
    """EXOBENCH_ENGINE picks the engine of every Machine that names none (make bench can
    run on the reference interpreter); the run's provenance records which one ran."""
    from exobench.harness import provenance
    monkeypatch.delenv("EXOBENCH_ENGINE", raising=False)
    assert Machine().engine == "fast" and provenance({})["exobench_engine"] == "fast"
    monkeypatch.setenv("EXOBENCH_ENGINE", "reference")
    assert Machine().engine == "reference" and provenance({})["exobench_engine"] == "reference"
    assert Machine(engine="fast").engine == "fast"
    monkeypatch.setenv("EXOBENCH_ENGINE", "turbo")
    with pytest.raises(ValueError, match="engine must be one of"):
        Machine()
