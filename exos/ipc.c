/*
 * ipc.c - ExOS IPC: pipes over shared-memory rings with yield, shared
 * memory segments by key, and lrpc set-up.  Shared pages reach another
 * environment only through their capabilities, which live in the family
 * namespace page: the first environment allocates it and every
 * environment it (or its children) spawns gets its number and capability
 * in its start registers.
 */
#include "exos.h"

#define NS_PIPES        16
#define NS_SHM          8
#define SHM_MAX_PAGES   16

struct ns {
	volatile uint32_t choosing[NENV], number[NENV];   /* the bakery lock */
	int32_t root;           /* the environment that made the namespace: shared pages are charged to it */
	uint32_t npipes;
	struct { uint32_t ppn, cap; } pipe[NS_PIPES];
	uint32_t nshm;
	struct {
		int32_t key;
		uint32_t npages;
		uint32_t ppn[SHM_MAX_PAGES], cap[SHM_MAX_PAGES];
	} shm[NS_SHM];
};
_Static_assert(sizeof(struct ns) <= PAGE_SIZE, "namespace page");
_Static_assert(sizeof(struct ring) <= PAGE_SIZE, "pipe ring");

#define NS ((struct ns *)NS_VADDR)

uint32_t exos_ns_ppn, exos_ns_cap;
static uint32_t pipe_mapped;    /* bit i: pipe ring i is in our page table */

int exos_ns_init(uint32_t ppn, uint32_t cap)
{
	int fresh = ppn == 0;
	if (fresh) {
		uint64_t r = ae_page_alloc();
		if ((int32_t)(uint32_t)r < 0)
			return -1;
		ppn = (uint32_t)r;
		cap = (uint32_t)(r >> 32);
	}
	exos_ns_ppn = ppn;
	exos_ns_cap = cap;
	int err = vm_map_page(NS_VADDR, ppn, cap, PTE_R | PTE_W);
	if (!err && fresh)
		NS->root = os_self();
	return err;
}

/*
 * The namespace is updated by several environments that can be preempted
 * at any point, and MIPS I has no atomic instructions: Lamport's bakery
 * algorithm (plain loads and stores), waiting by directed yield.
 */
static void ns_lock(void)
{
	uint32_t me = (uint32_t)os_self(), max = 0;
	NS->choosing[me] = 1;
	for (uint32_t j = 0; j < NENV; j++)
		if (NS->number[j] > max)
			max = NS->number[j];
	NS->number[me] = max + 1;
	NS->choosing[me] = 0;
	for (uint32_t j = 0; j < NENV; j++) {
		if (j == me)
			continue;
		while (NS->choosing[j])
			ae_yield((int)j);
		for (;;) {
			uint32_t nj = NS->number[j], ni = NS->number[me];
			if (!nj || nj > ni || (nj == ni && j > me))
				break;
			ae_yield((int)j);
		}
	}
}

static void ns_unlock(void)
{
	NS->number[os_self()] = 0;
}

/*
 * A page for a shared object: charged to the namespace's root so that it
 * outlives the environment that happened to create it.
 */
static int32_t shared_page(uint32_t *cap)
{
	uint64_t r = ae_page_alloc();
	int32_t ppn = (int32_t)(uint32_t)r;
	if (ppn < 0)
		return ppn;
	*cap = (uint32_t)(r >> 32);
	if (NS->root != os_self())
		ae_page_give((uint32_t)ppn, *cap, (uint32_t)NS->root);
	return ppn;
}

int os_pipe(int fds[2])
{
	ns_lock();
	uint32_t i = NS->npipes;
	uint32_t cap;
	int32_t ppn = i < NS_PIPES ? shared_page(&cap) : OS_ENOMEM;
	if (ppn < 0) {
		ns_unlock();
		return OS_ENOMEM;
	}
	NS->pipe[i].ppn = (uint32_t)ppn;
	NS->pipe[i].cap = cap;
	NS->npipes = i + 1;
	ns_unlock();
	struct ring *ring = exos_pipe_ring((int)(2 * i));
	ring->reader = ring->writer = -1;
	fds[0] = (int)(2 * i);          /* read end */
	fds[1] = (int)(2 * i + 1);      /* write end */
	return OS_OK;
}

/* The ring behind fd, mapped into our page table on first use. */
struct ring *exos_pipe_ring(int fd)
{
	uint32_t i = (uint32_t)fd / 2;
	if (fd < 0 || i >= NS->npipes)
		return 0;
	uint32_t va = PIPE_VADDR + i * PAGE_SIZE;
	if (!(pipe_mapped & (1u << i))) {
		if (vm_map_page(va, NS->pipe[i].ppn, NS->pipe[i].cap, PTE_R | PTE_W) < 0)
			return 0;
		pipe_mapped |= 1u << i;
	}
	return (struct ring *)va;
}

/* Copy into / out of the ring at head / tail, in at most two contiguous pieces. */
static void ring_copy_in(struct ring *r, const uint8_t *p, uint32_t k)
{
	uint32_t at = r->head % sizeof r->buf, first = sizeof r->buf - at;
	if (first > k)
		first = k;
	if (first == 4 && k == 4 && !(((uintptr_t)p | at) & 3)) {  /* the common word message */
		*(uint32_t *)&r->buf[at] = *(const uint32_t *)p;
		return;
	}
	memcpy(&r->buf[at], p, first);
	if (k > first)
		memcpy(&r->buf[0], p + first, k - first);
}

static void ring_copy_out(struct ring *r, uint8_t *p, uint32_t k)
{
	uint32_t at = r->tail % sizeof r->buf, first = sizeof r->buf - at;
	if (first > k)
		first = k;
	if (first == 4 && k == 4 && !(((uintptr_t)p | at) & 3)) {
		*(uint32_t *)p = *(const uint32_t *)&r->buf[at];
		return;
	}
	memcpy(p, &r->buf[at], first);
	if (k > first)
		memcpy(p + first, &r->buf[0], k - first);
}

int os_write(int fd, const void *buf, uint32_t n)
{
	struct ring *r = exos_pipe_ring(fd);
	const uint8_t *p = buf;
	if (!r || !(fd & 1))
		return OS_EINVAL;
	r->writer = os_self();
	for (uint32_t done = 0; done < n;) {
		uint32_t space = sizeof r->buf - (r->head - r->tail);
		if (space == 0) {
			ae_yield(r->reader);    /* full: let the reader run */
			continue;
		}
		uint32_t k = n - done < space ? n - done : space;
		ring_copy_in(r, p + done, k);
		r->head += k;
		done += k;
	}
	return (int)n;
}

int os_read(int fd, void *buf, uint32_t n)
{
	struct ring *r = exos_pipe_ring(fd);
	uint8_t *p = buf;
	if (!r || (fd & 1))
		return OS_EINVAL;
	r->reader = os_self();
	while (r->head == r->tail)
		ae_yield(r->writer);    /* empty: let the writer run */
	uint32_t avail = r->head - r->tail;
	uint32_t k = n < avail ? n : avail;
	ring_copy_out(r, p, k);
	r->tail += k;
	return (int)k;
}

static int shm_find_or_make(uint32_t npages, int key);

int os_shm_map(uint32_t va, uint32_t npages, int key)
{
	if ((va & (PAGE_SIZE - 1)) || npages == 0 || npages > SHM_MAX_PAGES)
		return OS_EINVAL;
	ns_lock();
	int s = shm_find_or_make(npages, key);
	ns_unlock();
	if (s < 0)
		return s;
	for (uint32_t i = 0; i < npages; i++) {
		int err = vm_map_page(va + i * PAGE_SIZE, NS->shm[s].ppn[i], NS->shm[s].cap[i], PTE_R | PTE_W);
		if (err)
			return err;
	}
	return OS_OK;
}

static int shm_find_or_make(uint32_t npages, int key)
{
	uint32_t s;
	for (s = 0; s < NS->nshm; s++)
		if (NS->shm[s].key == key)
			break;
	if (s == NS->nshm) {
		if (s >= NS_SHM)
			return OS_ENOMEM;
		for (uint32_t i = 0; i < npages; i++) {
			uint32_t cap;
			int32_t ppn = shared_page(&cap);
			if (ppn < 0)
				return OS_ENOMEM;
			NS->shm[s].ppn[i] = (uint32_t)ppn;
			NS->shm[s].cap[i] = cap;
		}
		NS->shm[s].key = key;
		NS->shm[s].npages = npages;
		NS->nshm = s + 1;
	}
	if (npages > NS->shm[s].npages)
		return OS_EINVAL;
	return (int)s;
}
