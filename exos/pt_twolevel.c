/*
 * pt_twolevel.c - ExOS's default page-table structure (pt.h): a directory of
 * 1024 pointers, one per 4 MiB of the address space, to second-level tables of
 * 1024 PTEs, handed out from a static pool of PT_POOL as pages are first mapped
 * in their 4 MiB.  A program that links optional/ipt.c replaces every definition
 * here (they are weak).
 */
#include "pt.h"

#define L1_SHIFT        22
#define L2_ENTRIES      1024
#define PT_POOL         16

static struct pte *pt_dir[1 << (32 - L1_SHIFT)];
static struct pte pt_pool[PT_POOL][L2_ENTRIES];
static uint32_t pt_used;

/* va's PTE; a second-level table is handed out only if create (0: the pool is empty). */
static struct pte *pte_get(uint32_t va, int create)
{
	uint32_t i = va >> L1_SHIFT;
	if (!pt_dir[i]) {
		if (!create || pt_used >= PT_POOL)
			return 0;
		pt_dir[i] = pt_pool[pt_used++];
	}
	return &pt_dir[i][(va >> PAGE_SHIFT) & (L2_ENTRIES - 1)];
}

__attribute__((weak)) struct pte *pt_lookup(uint32_t va)
{
	return pte_get(va, 0);
}

__attribute__((weak)) struct pte *pt_insert(uint32_t va)
{
	return pte_get(va, 1);
}

/* PTEs that follow va's in its second-level table, va's included */
#define PTE_RUN(va)     (L2_ENTRIES - (((va) >> PAGE_SHIFT) & (L2_ENTRIES - 1)))

/* Along each second-level table, four PTEs at a time while all four are present. */
__attribute__((weak)) int pt_protect(uint32_t va, uint32_t npages, uint32_t set, uint32_t *accp)
{
	uint32_t acc = 0;
	int err = OS_OK;
	while (npages) {
		struct pte *p = pte_get(va, 0);
		uint32_t k = PTE_RUN(va);       /* PTEs contiguous from p */
		if (!p) {
			err = OS_EINVAL;
			break;
		}
		if (k > npages)
			k = npages;
		struct pte *e = p + k;
		for (; p + 4 <= e; p += 4) {
			uint32_t w0 = p[0].word, w1 = p[1].word, w2 = p[2].word, w3 = p[3].word;
			if (!(w0 & w1 & w2 & w3 & PTE_P))
				break;
			acc |= w0 | w1 | w2 | w3;
			p[0].word = (w0 & ~(uint32_t)(PTE_R | PTE_W)) | set;
			p[1].word = (w1 & ~(uint32_t)(PTE_R | PTE_W)) | set;
			p[2].word = (w2 & ~(uint32_t)(PTE_R | PTE_W)) | set;
			p[3].word = (w3 & ~(uint32_t)(PTE_R | PTE_W)) | set;
		}
		for (; p < e; p++) {
			uint32_t w = p->word;
			if (!(w & PTE_P)) {
				err = OS_EINVAL;
				goto done;
			}
			acc |= w;
			p->word = (w & ~(uint32_t)(PTE_R | PTE_W)) | set;
		}
		va += k << PAGE_SHIFT;
		npages -= k;
	}
done:
	*accp = acc;
	return err;
}

/* The directory and the second-level tables handed out */
__attribute__((weak)) uint32_t vm_pt_bytes(void)
{
	return sizeof pt_dir + pt_used * sizeof pt_pool[0];
}
