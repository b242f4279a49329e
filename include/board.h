/*
 * board.h - the exobench system board: device registers and the boot-info block.
 *
 * The one place where the emulator (csrc/board.c), the guest kernels, the
 * benchmark runtime and the Python side (exobench.constants) agree on
 * addresses.  Plain #defines outside the __ASSEMBLER__ block so that
 * assembly and the Python parser can read them.
 *
 * The board is two 4 KiB pages of 32-bit registers at physical BOARD_PADDR,
 * reached by kernels through kseg1 (uncached):
 *   - the user page (BOARD_PADDR): console, counters, markers and the result
 *     channel.  Kernels map it into user address spaces at BOARD_USER_VADDR,
 *     so benchmark programs drop markers and report results with one uncached
 *     store each, the same on both kernels;
 *   - the kernel page (BOARD_PADDR + BOARD_KPAGE): halt, the timer, the
 *     report-owner register and the entropy source.  A kernel never maps it
 *     into an address space: like any device, the board does not know the
 *     CPU's mode, the MMU mapping is the protection.
 * Markers and results record the ASID and mode of the writer.  Once a kernel
 * names the report owner (BOARD_OWNER_ASID_ADDR), a user-mode marker or
 * result write from any other address space is refused and counted (the
 * harness refuses such a run: someone tried to forge or disturb results).
 */
#ifndef EXOBENCH_BOARD_H
#define EXOBENCH_BOARD_H

#define BOARD_PADDR         0x1f000000
#define BOARD_KSEG1         0xbf000000
#define BOARD_SIZE          0x2000      /* the user page and the kernel page */
#define BOARD_KPAGE         0x1000      /* offset of the kernel page */
#define BOARD_USER_VADDR    0x00001000  /* where kernels map the user page for user code */

/* The user page (all registers 32-bit, word accesses only). */
#define BOARD_CONSOLE       0x00  /* w: low byte appended to the console */
#define BOARD_CYCLES_LO     0x08  /* r: cycle counter; reading LO latches HI */
#define BOARD_CYCLES_HI     0x0c
#define BOARD_INSNS_LO      0x10  /* r: instruction counter; reading LO latches HI */
#define BOARD_INSNS_HI      0x14
#define BOARD_MARKER        0x18  /* w: snapshot every counter, tagged with the value */
#define BOARD_RESULT_NAME   0x1c  /* w: append a byte to the pending result name */
#define BOARD_RESULT_VALUE  0x20  /* w: record (pending name, value), clear the name */
#define BOARD_TIMER_COUNT   0x2c  /* r: timer interrupts raised so far */

/* The kernel page. */
#define BOARD_HALT          (BOARD_KPAGE + 0x00)  /* w: stop the machine; the value is the exit code */
#define BOARD_TIMER_PERIOD  (BOARD_KPAGE + 0x04)  /* rw: cycles between timer interrupts, 0 = off */
#define BOARD_TIMER_ACK     (BOARD_KPAGE + 0x08)  /* w: lower the timer interrupt line */
#define BOARD_OWNER_ASID_ADDR (BOARD_KPAGE + 0x0c) /* rw: physical address of the kernel word holding
                                                     the report owner's ASID, as an EntryHi value or,
                                                     with BOARD_OWNER_RAW, as a plain number (any
                                                     value above the last ASID: none); 0: no owner,
                                                     every writer accepted */
#define BOARD_OWNER_RAW     1   /* in BOARD_OWNER_ASID_ADDR: the word is a plain ASID number */
#define BOARD_ENTROPY       (BOARD_KPAGE + 0x10)  /* r: the next 32 bits of the host-seeded entropy
                                                     source (a fixed seed unless the host asks) */
#define BOARD_IOASIC_IMSK   (BOARD_KPAGE + 0x14)  /* rw: the DECstation 5000/1xx (3MIN) IOASIC
                                                     system interrupt mask (SIRM/IMSK), 32 bits,
                                                     0 after reset.  The model only stores it: the
                                                     CPU's Status.IM bits alone gate the lines into
                                                     the CPU (the timer on Int3 is not gated by it).
                                                     It is here so that a kernel that keeps its
                                                     interrupt level as Ultrix 4.2 does on that
                                                     machine pays for the uncached write and the
                                                     read-back that drains the write buffer */

/* The timer drives hardware line Int3 (Cause.IP5), where the DECstation RTC sits. */
#define BOARD_TIMER_LINE    3

/* Exit codes written to BOARD_HALT. */
#define HALT_OK             0
#define HALT_PANIC          1   /* a guest kernel gave up; the console says why */
#define HALT_VALIDATION     2   /* a benchmark's self-check failed */

/*
 * Boot: the host loads the kernel ELF at its physical addresses, places the
 * boot modules (ELF images of user programs) and then the boot-info block
 * after it, page aligned, and starts the CPU at the kernel's entry point with
 * a0 = kseg0 address of the boot-info block, a1 = BOOTINFO_MAGIC,
 * Status = SR_BEV (kernel mode, interrupts off, bootstrap vectors).
 */
#define BOOTINFO_MAGIC      0xb0071f00
#define BOOT_MAX_MODULES    8
#define BOOT_MAX_PARAMS     16
#define BOOT_NAME_LEN       24

/* Byte offsets inside the block, for assembly. */
#define BI_MAGIC            0
#define BI_RAM_SIZE         4
#define BI_FREE_PADDR       8   /* first physical byte not used by kernel, modules or this block */
#define BI_NMODULES         12
#define BI_NPARAMS          16
#define BI_MODULES          20
#define BI_MODULE_SIZE      (8 + BOOT_NAME_LEN)
#define BI_PARAMS           (BI_MODULES + BOOT_MAX_MODULES * BI_MODULE_SIZE)
#define BI_PARAM_SIZE       (4 + BOOT_NAME_LEN)
#define BOOTINFO_SIZE       (BI_PARAMS + BOOT_MAX_PARAMS * BI_PARAM_SIZE)

#ifndef __ASSEMBLER__
#include <stdint.h>

struct boot_module {
	uint32_t paddr;                 /* physical address of the ELF image */
	uint32_t size;                  /* bytes */
	char name[BOOT_NAME_LEN];       /* NUL-terminated */
};

struct boot_param {
	char name[BOOT_NAME_LEN];       /* NUL-terminated */
	uint32_t value;
};

struct bootinfo {
	uint32_t magic;
	uint32_t ram_size;
	uint32_t free_paddr;
	uint32_t nmodules;
	uint32_t nparams;
	struct boot_module modules[BOOT_MAX_MODULES];
	struct boot_param params[BOOT_MAX_PARAMS];
};

_Static_assert(sizeof(struct bootinfo) == BOOTINFO_SIZE, "bootinfo layout");
#endif

#endif
