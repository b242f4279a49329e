/*
 * ash.c - application-specific handlers (ASHs, paper §6.3): untrusted MIPS code an
 * environment downloads into the kernel, bound to one of its packet filters, run in
 * the receive path on every message that filter accepts -- before the environment
 * itself is scheduled.  It can reply at once (message initiation), copy the message
 * into the owner's memory (message vectoring) or hand it on to the owner's queue.
 *
 * Safety is checked once, at download (SYS_ASH_DOWNLOAD), by inspecting every
 * instruction (verify()); the checked code is then copied into the kernel, so the
 * owner cannot change it afterwards.  The rules:
 *  - an allowed set only: ALU without overflow traps (addu, addiu, subu, and(i), or(i),
 *    xor(i), nor, slt(i)(u), lui, shifts), byte/half/word loads and stores, the
 *    conditional branches, and `jr ra`.  Refused: the coprocessors (cop0: rfe, mtc0,
 *    tlb*), syscall, break, cache, add/addi/sub (overflow traps), mult/div and hi/lo,
 *    lwl/lwr/swl/swr, j/jal/jalr and the linking branches -- every instruction that
 *    could trap, change privileged state or leave the handler (ASH_R_PRIV, ASH_R_INSN);
 *  - no loops: every branch goes forward (ASH_R_BACKWARD).  We chose this over an
 *    execution budget: a handler then runs at most ASH_MAXINSNS instructions, with
 *    nothing to count at run time; repeated work (a copy, a checksum) is done by the
 *    kernel service (ASH_COPY) or unrolled;
 *  - control stays inside: branch targets lie in the handler or at its end, where the
 *    kernel appends `jr ra` (the fixed return point); the only jump is `jr ra`, and no
 *    instruction writes ra (ASH_R_OUTSIDE, ASH_R_REG); no branch in a delay slot
 *    (ASH_R_SLOT);
 *  - memory: the message buffer (a0) and the owner's data region (a2) only, proved
 *    statically (ASH_R_MEM).  a0 and a2 are never written (ASH_R_REG).  An access is
 *    either a0/a2 + a constant offset inside the region, or through t9 right after the
 *    sandboxing pair `andi t9, rX, M; addu t9, t9, a0|a2` (software fault isolation,
 *    Wahbe et al. SOSP'93: the mask bounds the index, M + offset + size within the
 *    region), with neither of the pair's last two instructions a branch target, so the
 *    pair always runs right before the access.  Alignment is proved too (offset and M
 *    multiples of the size), so no access can fault;
 *  - the R3000's load delay: the instruction after a load (on every path) must not read
 *    the loaded register (ASH_R_HAZARD): the handler's results do not depend on the
 *    pipeline.
 * A handler therefore cannot trap, loop, write outside the two regions or return
 * anywhere but to ash_call (ash_call.S), which keeps the kernel's registers and clears
 * every other one before entering it.  The kernel work per message is bounded by
 * ASH_MAXINSNS instructions, a copy of at most ASH_MSG_SIZE bytes and one reply.
 *
 * The message buffer is the kernel's: a frame is copied into it (word-aligned), and the
 * bytes past the frame are zero when a handler runs (what an earlier handler left there
 * is cleared), so no handler sees another's message.  The data region is a range of the
 * owner's guaranteed-mapped RAM (pages the owner cannot lose while it lives) reached
 * through kseg0; a handler goes when its filter or its environment does.
 */
#include "dpf.h"

struct ash {
	int32_t fid;                    /* the filter it is bound to (if data) */
	uint8_t *data;                  /* kseg0 address of the owner's data region; 0: a free slot */
	uint32_t dsize;
	uint32_t msg_hi;                /* bytes of the message buffer it may write */
	uint32_t code[ASH_MAXINSNS + 2];        /* verified code + the return point */
};
static struct ash ashes[ASH_MAX];
static uint32_t ash_msg[ASH_MSG_SIZE / 4];
static uint32_t msg_dirty;              /* bytes of ash_msg possibly non-zero */
uint32_t ash_runs;                      /* handlers run (read by the tests) */

#define JR_RA   0x03e00008u

uint64_t ash_call(void *msg, uint32_t len, void *data, const uint32_t *code);   /* ash_call.S */

static int32_t sext16(uint32_t w) { return (int32_t)(int16_t)(w & 0xffff); }

enum kind { K_BAD, K_ALU, K_LOAD, K_STORE, K_BRANCH, K_JR };

/* Classify w; *dst = the register it writes (0: none), *why = the refusal if K_BAD. */
static enum kind decode(uint32_t w, uint32_t *dst, uint32_t *why)
{
	uint32_t op = w >> 26, rs = (w >> 21) & 31, rt = (w >> 16) & 31, rd = (w >> 11) & 31;
	uint32_t sa = (w >> 6) & 31, fn = w & 0x3f;
	*dst = 0;
	*why = ASH_R_INSN;
	switch (op) {
	case 0x00:
		if (fn == 0x0c || fn == 0x0d) {         /* syscall, break */
			*why = ASH_R_PRIV;
			return K_BAD;
		}
		if (fn == 0x08) {                       /* jr: only jr ra */
			*why = ASH_R_OUTSIDE;
			return w == JR_RA ? K_JR : K_BAD;
		}
		if (fn == 0x09) {
			*why = ASH_R_OUTSIDE;
			return K_BAD;
		}
		if (fn == 0x00 || fn == 0x02 || fn == 0x03) {   /* sll srl sra */
			if (rs)
				return K_BAD;
		} else if (fn == 0x04 || fn == 0x06 || fn == 0x07 || fn == 0x21 || fn == 0x23 ||
			   (fn >= 0x24 && fn <= 0x27) || fn == 0x2a || fn == 0x2b) {
			if (sa)
				return K_BAD;
		} else {
			return K_BAD;
		}
		*dst = rd;
		return K_ALU;
	case 0x01:                                      /* bltz, bgez (not the linking ones) */
		if (rt <= 1)
			return K_BRANCH;
		if (rt == 0x10 || rt == 0x11)
			*why = ASH_R_OUTSIDE;
		return K_BAD;
	case 0x02: case 0x03:                           /* j, jal: absolute targets */
		*why = ASH_R_OUTSIDE;
		return K_BAD;
	case 0x04: case 0x05:
		return K_BRANCH;
	case 0x06: case 0x07:
		return rt ? K_BAD : K_BRANCH;
	case 0x09: case 0x0a: case 0x0b: case 0x0c: case 0x0d: case 0x0e:
		*dst = rt;
		return K_ALU;
	case 0x0f:
		if (rs)
			return K_BAD;
		*dst = rt;
		return K_ALU;
	case 0x20: case 0x21: case 0x23: case 0x24: case 0x25:
		*dst = rt;
		return K_LOAD;
	case 0x28: case 0x29: case 0x2b:
		return K_STORE;
	default:
		if ((op >= 0x10 && op <= 0x13) || op == 0x2f || op >= 0x30)   /* cop0-3, cache, lwc/swc */
			*why = ASH_R_PRIV;
		return K_BAD;
	}
}

/* Registers w reads (a bit mask), for the load-delay check. */
static uint32_t reads(uint32_t w)
{
	uint32_t op = w >> 26, rs = 1u << ((w >> 21) & 31), rt = 1u << ((w >> 16) & 31), fn = w & 0x3f;
	if (op == 0)
		return fn <= 0x03 ? rt : fn == 0x08 ? rs : rs | rt;
	if (op == 0x04 || op == 0x05 || op >= 0x28)
		return rs | rt;
	if (op == 0x0f)
		return 0;
	return rs;
}

static uint32_t access_size(uint32_t op)
{
	return (op & 3) == 0 ? 1 : (op & 3) == 1 ? 2 : 4;
}

/*
 * Is the access at c[i] inside a region?  Base a0 (message) or a2 (data) with a
 * constant offset, or t9 after the sandboxing pair.  *hi: the end of what it can
 * touch in the message buffer (0 for the data region).
 */
static int mem_ok(const uint32_t *c, uint32_t i, const uint8_t *target, uint32_t dsize, uint32_t *hi)
{
	uint32_t w = c[i], base = (w >> 21) & 31, size = access_size(w >> 26);
	int32_t off = sext16(w);
	uint32_t span = 0;                      /* the largest index the base adds */
	if (base == 25) {
		if (i < 2 || target[i - 1] || target[i])
			return 0;
		uint32_t m = c[i - 2], a = c[i - 1];
		uint32_t mrt = (m >> 16) & 31, ars = (a >> 21) & 31, art = (a >> 16) & 31;
		if (m >> 26 != 0x0c || mrt != 25 || a >> 26 != 0 || (a & 0x7ff) != 0x21 || ((a >> 11) & 31) != 25)
			return 0;
		if (ars == 25 && (art == 4 || art == 6))
			base = art;
		else if (art == 25 && (ars == 4 || ars == 6))
			base = ars;
		else
			return 0;
		span = m & 0xffff;
	}
	uint32_t region = base == 4 ? ASH_MSG_SIZE : base == 6 ? dsize : 0;
	if (!region || off < 0 || (off & (size - 1)) || (span & (size - 1)) ||
	    span + (uint32_t)off + size > region)
		return 0;
	*hi = base == 4 ? span + (uint32_t)off + size : 0;
	return 1;
}

/*
 * Check n instructions against the rules above (dsize: the data region's size).
 * -> 0 and *msg_hi (the bytes of the message buffer it may write), or ASH_R_* << 16 |
 * the index of the first instruction refused.
 */
static uint32_t verify(const uint32_t *c, uint32_t n, uint32_t dsize, uint32_t *msg_hi)
{
	static uint8_t target[ASH_MAXINSNS + 1];
	static uint16_t slot_of[ASH_MAXINSNS + 1];      /* of a delay slot: its branch's index + 1 */
	uint32_t why, dst;
	memset(target, 0, sizeof target);
	memset(slot_of, 0, sizeof slot_of);
	*msg_hi = 0;
	for (uint32_t i = 0; i < n; i++) {
		enum kind k = decode(c[i], &dst, &why);
		if (k == K_BAD)
			return why << 16 | i;
		if (k != K_BRANCH && k != K_JR)
			continue;
		if (i + 1 >= n)
			return ASH_R_SLOT << 16 | i;
		slot_of[i + 1] = (uint16_t)(i + 1);
		if (k == K_BRANCH) {
			int32_t t = (int32_t)i + 1 + sext16(c[i]);
			if (t <= (int32_t)i)
				return ASH_R_BACKWARD << 16 | i;
			if (t > (int32_t)n)
				return ASH_R_OUTSIDE << 16 | i;
			target[t] = 1;
		}
	}
	for (uint32_t i = 0; i < n; i++) {
		enum kind k = decode(c[i], &dst, &why);
		uint32_t hi = 0;
		if (slot_of[i] && (k == K_BRANCH || k == K_JR))
			return ASH_R_SLOT << 16 | i;
		if (dst == 4 || dst == 6 || dst == 31)
			return ASH_R_REG << 16 | i;
		if ((k == K_LOAD || k == K_STORE) && !mem_ok(c, i, target, dsize, &hi))
			return ASH_R_MEM << 16 | i;
		if (k == K_STORE && hi > *msg_hi)
			*msg_hi = hi;
		if (k == K_LOAD && dst) {
			/* what runs next: i + 1 (the appended jr ra at n), and after a delay
			 * slot also its branch's target */
			uint32_t bit = 1u << dst, next = i + 1 < n ? c[i + 1] : JR_RA;
			uint32_t b = slot_of[i] ? slot_of[i] - 1u : 0;
			uint32_t t = slot_of[i] && c[b] != JR_RA ? b + 1 + (uint32_t)sext16(c[b]) : n + 1;
			if ((reads(next) & bit) || (t < n && (reads(c[t]) & bit)))
				return ASH_R_HAZARD << 16 | i;
		}
	}
	return 0;
}

static struct ash *find(int32_t fid)
{
	for (uint32_t i = 0; i < ASH_MAX; i++)
		if (ashes[i].fid == fid && ashes[i].data)
			return &ashes[i];
	return 0;
}

/* The filter's handler goes with it (dpf.c, at removal). */
void ash_drop(int32_t fid)
{
	struct ash *a = find(fid);
	if (a)
		a->data = 0, a->fid = -1;
}

/*
 * SYS_ASH_DOWNLOAD: bind the handler described at desc_uva to filter fid, replacing any
 * it had (nbytes 0: remove it).  -> 0; AE_EINVAL (no descriptor there, the code or data
 * region not in the caller's guaranteed-mapped RAM or misaligned, dsize not a multiple of
 * 4 or > ASH_DATA_MAX, no such filter), AE_EPERM (not the caller's filter), AE_ENOMEM
 * (ASH_MAX handlers in the kernel); a refused handler: AE_EINVAL with v1 = ASH_R_* << 16
 * | the index of the instruction (verify()).
 */
sysret_t sys_ash_download(uint32_t fid, uint32_t desc_uva)
{
	const struct ash_desc *dp = desc_uva & 3 ? 0 : env_kptr(curenv, desc_uva, ASH_DESC_SIZE);
	if (!dp || fid >= DPF_MAXFILTERS)
		return AE_EINVAL;
	int32_t owner = dpf_owner(fid);
	if (owner == -1)
		return AE_EINVAL;
	if (owner != curenv->id)
		return AE_EPERM;
	struct ash_desc d = *dp;
	if (d.nbytes == 0) {
		ash_drop((int32_t)fid);
		return 0;
	}
	if ((d.nbytes & 3) || d.nbytes > 4 * ASH_MAXINSNS)
		return (uint32_t)AE_EINVAL | (uint64_t)(ASH_R_SIZE << 16) << 32;
	const uint32_t *code = d.code & 3 ? 0 : env_kptr(curenv, d.code, d.nbytes);
	uint8_t *data = (d.data & 3) || (d.dsize & 3) || d.dsize == 0 || d.dsize > ASH_DATA_MAX ? 0
		: (uint8_t *)(uintptr_t)env_kptr(curenv, d.data, d.dsize);
	if (!code || !data)
		return AE_EINVAL;
	struct ash *a = find((int32_t)fid);
	for (uint32_t i = 0; i < ASH_MAX && !a; i++)
		if (!ashes[i].data)
			a = &ashes[i];
	if (!a)
		return AE_ENOMEM;
	/* Verify the kernel's copy: what is checked is what runs. */
	static uint32_t copy[ASH_MAXINSNS];
	uint32_t n = d.nbytes / 4, msg_hi;
	memcpy(copy, code, d.nbytes);
	uint32_t bad = verify(copy, n, d.dsize, &msg_hi);
	if (bad)
		return (uint32_t)AE_EINVAL | (uint64_t)bad << 32;
	memcpy(a->code, copy, d.nbytes);
	a->code[n] = JR_RA;
	a->code[n + 1] = 0;
	a->fid = (int32_t)fid;
	a->data = data;
	a->dsize = d.dsize;
	a->msg_hi = msg_hi;
	return 0;
}

/*
 * Run filter fid's handler on the frame (len <= DPF_MAXPKT), if it has one: the frame
 * into the message buffer, the handler, then the copy it asked for.  May be called from
 * the receive path or a system call (interrupts off).  -> the ASH_* actions to take (the
 * caller sends the reply: *reply = the buffer, *rlen its length, 0 if none), or -1: no
 * handler.
 */
int32_t ash_run(int32_t fid, const uint8_t *frame, uint32_t len, const uint8_t **reply, uint32_t *rlen)
{
	struct ash *a = find(fid);
	*rlen = 0;
	if (!a)
		return -1;
	uint8_t *msg = (uint8_t *)ash_msg;
	memcpy(msg, frame, len);
	if (msg_dirty > len)
		memset(msg + len, 0, msg_dirty - len);
	msg_dirty = len > a->msg_hi ? len : a->msg_hi;
	ash_runs++;
	uint64_t r = ash_call(msg, len, a->data, a->code);
	uint32_t act = (uint32_t)r & (ASH_REPLY | ASH_QUEUE | ASH_COPY), arg = (uint32_t)(r >> 32);
	if (act & ASH_COPY) {
		uint32_t at = arg >> 16;
		if (at <= a->dsize && len <= a->dsize - at)
			memcpy(a->data + at, frame, len);
		else
			act &= ~(uint32_t)ASH_COPY;
	}
	if (act & ASH_REPLY) {
		uint32_t n = arg & 0xffff;
		if (n >= 14 && n <= DPF_MAXPKT) {
			*reply = msg;
			*rlen = n;
		} else {
			act &= ~(uint32_t)ASH_REPLY;
		}
	}
	return (int32_t)act;
}
