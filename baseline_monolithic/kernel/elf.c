/*
 * elf.c - load a boot module's ELF32 little-endian MIPS executable into a
 * new address space (the part of Ultrix execve() that builds the text and
 * data segments; Ultrix pages them in on demand from the file, the boot
 * modules are already in memory, so pages are filled at load).  Segments
 * without PF_W are mapped read-only, as Ultrix maps text.
 */
#include "kern.h"
#include "elf32.h"

#define KVA_TO_PA(kva)  ((uint32_t)(kva) - KSEG0_BASE)
#define PTE_PA(pte)     (((pte) & PG_PFNMASK) << (PAGE_SHIFT - PG_PFNSHIFT))

#define MAX_PHNUM 16

int elf_load(struct proc *p, const uint8_t *image, uint32_t size, uint32_t *entry)
{
	const struct elf32_ehdr *eh = (const void *)image;
	uint32_t i;

	if (elf32_check(image, size, MAX_PHNUM))
		return ENOEXEC;
	for (i = 0; i < eh->phnum; i++) {
		const struct elf32_phdr *ph = &elf32_phdrs(image)[i];
		uint32_t va, start, end;
		int err;

		if (ph->type != ELF_PT_LOAD || ph->memsz == 0)
			continue;
		start = ph->vaddr & ~(PAGE_SIZE - 1);
		end = (ph->vaddr + ph->memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		if (ph->vaddr < USRTEXT || end < start || end > USRSTACK - MAXSSIZ ||
		    elf32_check_segment(ph, size))
			return ENOEXEC;
		for (va = start; va < end; va += PAGE_SIZE) {
			pte_t *ptep = vtopte(p, va, 1);
			uint8_t *pg;
			uint32_t lo, hi;
			if (!ptep)
				return ENOMEM;
			if (!*ptep) {
				if (!(pg = pgalloc()))
					return ENOMEM;
				*ptep = ((KVA_TO_PA(pg) >> PAGE_SHIFT) << PG_PFNSHIFT) | PG_V | PG_UR | PG_ALLOC;
			}
			if (ph->flags & ELF_PF_W)
				*ptep |= PG_UW | PG_M;
			pg = (uint8_t *)(KSEG0_BASE + PTE_PA(*ptep));
			/* the file bytes of this segment that fall in [va, va+PAGE_SIZE) */
			lo = ph->vaddr > va ? ph->vaddr : va;
			hi = ph->vaddr + ph->filesz < va + PAGE_SIZE ? ph->vaddr + ph->filesz : va + PAGE_SIZE;
			if (hi > lo)
				memcpy(pg + (lo - va), image + ph->offset + (lo - ph->vaddr), hi - lo);
		}
		if ((err = vm_region_add(p, start, end, (ph->flags & ELF_PF_W) ? RG_ANON : RG_TEXT, 0)) &&
		    err != EEXIST)
			return err;
	}
	*entry = eh->entry;
	if (*entry < USRTEXT || *entry >= USRSTACK)
		return ENOEXEC;
	return 0;
}
