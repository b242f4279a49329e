/*
 * ipc.c - ExOS IPC: pipes over shared-memory rings with yield, shared
 * memory segments by key, and lrpc set-up.  Shared pages reach another
 * environment only through their capabilities, which live in the family
 * namespace page: the first environment allocates it and every
 * environment it (or its children) spawns gets its number and capability
 * in its start registers.
 */
#include "exos.h"

#define NS_PIPES        EXOS_NPIPES
#define NS_SHM          8
#define SHM_MAX_PAGES   16

struct ns {
	volatile uint32_t choosing[NENV], number[NENV];   /* the bakery lock */
	int32_t root;           /* the environment that made the namespace: shared pages are charged to it */
	uint32_t npipes;
	ae_cap_t pipe[NS_PIPES];        /* each ring's page */
	uint32_t nshm;
	struct {
		int32_t key;
		uint32_t npages;
		ae_cap_t cap[SHM_MAX_PAGES];
	} shm[NS_SHM];
};
_Static_assert(sizeof(struct ns) <= PAGE_SIZE, "namespace page");
_Static_assert(sizeof(struct ring) <= PAGE_SIZE, "pipe ring");
_Static_assert(__builtin_offsetof(struct ring, head) == RING_HEAD && __builtin_offsetof(struct ring, tail) == RING_TAIL
	       && __builtin_offsetof(struct ring, reader) == RING_READER && __builtin_offsetof(struct ring, writer) == RING_WRITER
	       && __builtin_offsetof(struct ring, buf) == RING_BUF, "RING_* offsets (pipe.S)");

#define NS ((struct ns *)NS_VADDR)

ae_cap_t exos_ns_cap;
static uint32_t pipe_mapped;    /* bit i: pipe ring i is in our page table */

int exos_ns_init(ae_cap_t cap)
{
	int fresh = cap == 0;
	if (fresh) {
		cap = ae_page_alloc();
		if (AE_CAP_IS_ERR(cap))
			return -1;
	}
	exos_ns_cap = cap;
	int err = vm_map_page(NS_VADDR, cap, PTE_R | PTE_W);
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
static int32_t shared_page(ae_cap_t *cap)
{
	*cap = ae_page_alloc();
	if (AE_CAP_IS_ERR(*cap))
		return AE_CAP_ERR(*cap);
	if (NS->root != os_self())
		ae_page_give(*cap, (uint32_t)NS->root);
	return 0;
}

int os_pipe(int fds[2])
{
	ns_lock();
	uint32_t i = NS->npipes;
	ae_cap_t cap;
	if (i >= NS_PIPES || shared_page(&cap) < 0) {
		ns_unlock();
		return OS_ENOMEM;
	}
	NS->pipe[i] = cap;
	NS->npipes = i + 1;
	ns_unlock();
	struct ring *ring = exos_pipe_ring((int)(2 * i));
	ring->reader = ring->writer = -1;
	fds[0] = (int)(2 * i);          /* read end */
	fds[1] = (int)(2 * i + 1);      /* write end */
	return OS_OK;
}

/* The ring behind fd, mapped into our page table on first use (exos_pipe_ring,
 * inline in exos.h, finds it in exos_fd_ring, in the uarea, from then on). */
_Static_assert(UA_FD_RING + 8 * EXOS_NPIPES <= SA_ISAVE, "exos_fd_ring in the uarea");

__attribute__((noinline)) struct ring *exos_pipe_ring_slow(int fd)
{
	uint32_t i = (uint32_t)fd / 2;
	if (fd < 0 || i >= NS->npipes)
		return 0;
	uint32_t va = PIPE_VADDR + i * PAGE_SIZE;
	if (!(pipe_mapped & (1u << i))) {
		if (vm_map_page(va, NS->pipe[i], PTE_R | PTE_W) < 0)
			return 0;
		pipe_mapped |= 1u << i;
	}
	exos_fd_ring[2 * i] = exos_fd_ring[2 * i + 1] = (struct ring *)va;
	return (struct ring *)va;
}

/*
 * Copy n bytes: whole words wherever the destination is word aligned (the
 * source through lwl/lwr when it is not), bytes only at the ends.
 */
struct uword { uint32_t w; } __attribute__((packed, aligned(1)));

static void __attribute__((noinline)) copy(uint8_t *d, const uint8_t *s, uint32_t n)
{
	while (n && ((uintptr_t)d & 3)) {
		*d++ = *s++;
		n--;
	}
	if (!((uintptr_t)s & 3)) {
		for (; n >= 16; n -= 16, d += 16, s += 16) {
			uint32_t a = ((const uint32_t *)s)[0], b = ((const uint32_t *)s)[1];
			uint32_t c = ((const uint32_t *)s)[2], e = ((const uint32_t *)s)[3];
			((uint32_t *)d)[0] = a;
			((uint32_t *)d)[1] = b;
			((uint32_t *)d)[2] = c;
			((uint32_t *)d)[3] = e;
		}
		for (; n >= 4; n -= 4, d += 4, s += 4)
			*(uint32_t *)d = *(const uint32_t *)s;
	} else {
		for (; n >= 4; n -= 4, d += 4, s += 4)
			*(uint32_t *)d = ((const struct uword *)s)->w;
	}
	while (n--)
		*d++ = *s++;
}

/* Into / out of the ring at position `at`, in at most two contiguous pieces. */
static void ring_put(struct ring *r, uint32_t at, const uint8_t *p, uint32_t k)
{
	at &= RING_SIZE - 1;
	uint32_t first = RING_SIZE - at;
	if (first >= k) {
		copy(&r->buf[at], p, k);
	} else {
		copy(&r->buf[at], p, first);
		copy(&r->buf[0], p + first, k - first);
	}
}

static void ring_get(struct ring *r, uint32_t at, uint8_t *p, uint32_t k)
{
	at &= RING_SIZE - 1;
	uint32_t first = RING_SIZE - at;
	if (first >= k) {
		copy(p, &r->buf[at], k);
	} else {
		copy(p, &r->buf[at], first);
		copy(p + first, &r->buf[0], k - first);
	}
}

/*
 * os_write and os_read (pipe.S) handle one aligned word with room (data),
 * and os_read waits for it; everything else comes here: the first use of an
 * fd, other sizes and alignments, a full ring, bad descriptors.  A full ring yields (directed)
 * to the reader, an empty one to the writer.
 */
int exos_pipe_write(int fd, const void *buf, uint32_t n)
{
	const uint8_t *p = buf;
	struct ring *r = exos_pipe_ring(fd);
	if (!r || !(fd & 1))
		return OS_EINVAL;
	int32_t me = EXOS_SELF();
	if (r->writer != me)
		r->writer = me;
	for (uint32_t done = 0; done < n;) {
		uint32_t head = r->head, space = RING_SIZE - (head - r->tail);
		if (space == 0) {
			exos_yield(r->reader);
			continue;
		}
		uint32_t k = n - done < space ? n - done : space;
		ring_put(r, head, p + done, k);
		__asm__ volatile("" ::: "memory");      /* the bytes are in before head says so */
		r->head = head + k;
		done += k;
	}
	return (int)n;
}

int exos_pipe_read(int fd, void *buf, uint32_t n)
{
	uint8_t *p = buf;
	struct ring *r = exos_pipe_ring(fd);
	if (!r || (fd & 1))
		return OS_EINVAL;
	int32_t me = EXOS_SELF();
	if (r->reader != me)
		r->reader = me;
	uint32_t tail = r->tail, avail;
	while ((avail = r->head - tail) == 0)
		exos_yield(r->writer);
	if (n == 4 && avail >= 4 && !((tail | (uintptr_t)p) & 3)) {    /* the word message */
		*(uint32_t *)p = RING_WORD(r, tail);
		r->tail = tail + 4;
		return 4;
	}
	uint32_t k = n < avail ? n : avail;
	ring_get(r, tail, p, k);
	__asm__ volatile("" ::: "memory");      /* the bytes are out before tail frees them */
	r->tail = tail + k;
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
		int err = vm_map_page(va + i * PAGE_SIZE, NS->shm[s].cap[i], PTE_R | PTE_W);
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
			ae_cap_t cap;
			if (shared_page(&cap) < 0)
				return OS_ENOMEM;
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
