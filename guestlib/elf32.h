/*
 * elf32.h - the ELF32 little-endian MIPS executable format, as the guest kernels' boot
 * module loaders read it, and the checks every loader must make before trusting an
 * image: one copy for Aegis and the baseline (the host's reader is exobench/elf.py).
 */
#ifndef EXOBENCH_GUEST_ELF32_H
#define EXOBENCH_GUEST_ELF32_H

#include <stdint.h>

struct elf32_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf32_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

#define ELF_PT_LOAD     1
#define ELF_PF_W        2
#define ELF_EM_MIPS     8
#define ELF_ET_EXEC     2

/*
 * Check the header and the program header table of an image of `size` bytes.
 * Returns 0 when they can be trusted, else why not.
 */
static inline const char *elf32_check(const uint8_t *img, uint32_t size, uint32_t max_phnum)
{
	const struct elf32_ehdr *eh = (const void *)img;

	if (size < sizeof *eh || img[0] != 0x7f || img[1] != 'E' || img[2] != 'L' || img[3] != 'F')
		return "bad magic";
	if (img[4] != 1 || img[5] != 1)
		return "not 32-bit little-endian";
	if (eh->type != ELF_ET_EXEC || eh->machine != ELF_EM_MIPS)
		return "not a MIPS executable";
	if (eh->phentsize != sizeof(struct elf32_phdr) || eh->phnum == 0 || eh->phnum > max_phnum ||
	    eh->phoff > size || eh->phnum * sizeof(struct elf32_phdr) > size - eh->phoff || (eh->phoff & 3))
		return "bad program header table";
	return 0;
}

static inline const struct elf32_phdr *elf32_phdrs(const uint8_t *img)
{
	return (const void *)(img + ((const struct elf32_ehdr *)img)->phoff);
}

/* A loadable segment's bytes must lie in the file. Returns 0, or why not. */
static inline const char *elf32_check_segment(const struct elf32_phdr *p, uint32_t size)
{
	if (p->filesz > p->memsz || p->offset > size || p->filesz > size - p->offset)
		return "segment outside the file";
	return 0;
}

#endif
