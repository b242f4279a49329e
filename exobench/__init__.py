"""exobench: the Exokernel paper (SOSP 1995) reproduced on an emulated MIPS R3000 DECstation."""

__version__ = "0.1.0"
