/*
 * pipe.c - open files (the console and pipes) and the read/write path of
 * Ultrix 4.2: read()/write() build a one-element uio and call rwuio()
 * (sys/sys/sys_generic.c), which checks the descriptor (GETF), totals the
 * iovecs, sets u.u_qsave once more and calls the file's fo_rw -- gno_rw()
 * (sys/fs/gfs/gfs_gnodeops.c) and rwgp() for a gnode, then the gnode's
 * go_rwgp, fifo_rwgp() (sys/fs/specfs/fifo_gnodeops.c) for a pipe.
 *
 * Ultrix 4.2 pipes are System V-style FIFOs: fifo_rwgp locks the gnode,
 * moves data with uiomove (copyin/copyout), keeps writes of up to PIPE_BUF
 * bytes atomic, sleeps a reader while the pipe is empty and a writer exists
 * (EOF when the last writer is gone), sends SIGPIPE/EPIPE when the last
 * reader is, stamps the gnode's times (fifo_gupdat), and wakes the other
 * side only if it is asleep (IFIR/IFIW) or selecting.  Ultrix keeps the
 * data in a list of PIPE_BSZ blocks allocated as needed; one PIPE_BUF
 * circular buffer per pipe holds the same amount with simpler bookkeeping.
 * The gnode and file locks are uniprocessor smp_locks: a flag test each.
 */
#include "kern.h"

/* ---- the parts of gnode.h, file.h, uio.h and fifonode.h used here ---- */
struct lock_t { int l_call; };          /* smp lock: l_call is set only on a multiprocessor */
#define smp_lock(lk)    do { if ((lk)->l_call) panic("smp lock"); } while (0)
#define smp_unlock(lk)  do { if ((lk)->l_call) panic("smp unlock"); } while (0)

struct mount { int m_local; };
static struct mount rootfs = {1};

#define GFMT    0xf000
#define GFPIPE  0x1000
#define GFCHR   0x2000
#define GFREG   0x8000
#define GACC    0x1                     /* access time to update */
#define GUPD    0x2                     /* modification time to update */
#define GCHG    0x4                     /* change time to update */
#define GMOD    0x8

struct fifonode {
	uint8_t *fn_buf;                /* PIPE_BUF bytes, a page */
	uint32_t fn_size;               /* bytes in the pipe */
	uint32_t fn_rptr, fn_wptr;      /* free-running read and write counts */
	int fn_rcnt, fn_wcnt;           /* readers, writers */
	int fn_flag;                    /* IFIR/IFIW: a reader/writer sleeps */
	struct proc *fn_rselp, *fn_wselp;       /* selecting processes (never: no select) */
};
#define IFIR    0x1
#define IFIW    0x2
#define IF_RCOLL 0x4
#define IF_WCOLL 0x8

struct gnode;
struct uio;
struct gnode_ops {
	int (*go_rwgp)(struct gnode *gp, struct uio *uio, int rw, int ioflag);
};

struct gnode {
	int g_mode;
	int g_count;
	int g_flag;
	struct lock_t g_lk;
	struct mount *g_mp;
	struct gnode_ops *g_ops;
	struct timeval_k g_atime, g_mtime, g_ctime;
	struct fifonode g_fifo;
};

struct iovec { uint32_t iov_base; int iov_len; };
struct uio {
	struct iovec *uio_iov;
	int uio_iovcnt;
	int uio_offset;
	int uio_segflg;
	int uio_resid;
	int uio_flag;
};
#define UIO_READ        0
#define UIO_WRITE       1
#define UIO_USERSPACE   0

struct file;
struct fileops {
	int (*fo_rw)(struct file *fp, int rw, struct uio *uio);
};

#define FREAD   0x1
#define FWRITE  0x2
#define FNDELAY 0x4
#define FNBLOCK 0x8
#define DTYPE_INODE 1
#define DTYPE_SOCKET 2
#define DTYPE_PIPE  4

struct file {
	int f_flag;
	int f_type;
	int f_count;
	struct lock_t f_lk;
	struct fileops *f_ops;
	struct gnode *f_data;
	int f_offset;
};

#define IO_ASYNC 0x1
#define PIPE_MAX 0x7fffffff

static int fifo_rwgp(struct gnode *gp, struct uio *uio, int rw, int ioflag);
static int cons_rwgp(struct gnode *gp, struct uio *uio, int rw, int ioflag);
static int gno_rw(struct file *fp, int rw, struct uio *uio);

static struct gnode_ops fifo_gnodeops = {fifo_rwgp};
static struct gnode_ops cons_gnodeops = {cons_rwgp};
static struct fileops gnodeops = {gno_rw};

#define NFILE 64
#define NPIPE 16
static struct file file[NFILE];
static struct gnode pipes[NPIPE];
static struct gnode consnode = {GFCHR, 1, 0, {0}, &rootfs, &cons_gnodeops, {0, 0}, {0, 0}, {0, 0}, {0}};
static struct file console = {FREAD | FWRITE, DTYPE_INODE, 1, {0}, &gnodeops, &consnode, 0};

struct timeval_k time;                  /* the time of day, kept by hardclock */
#define timepick (&time)                /* Ultrix: the time stamps use `time` */

#define gfs_lock(gp) do {                                               \
	if ((gp)->g_count < 1)                                          \
		panic("gfs_lock: locking unrefed gnode");               \
	smp_lock(&(gp)->g_lk);                                          \
} while (0)
#define gfs_unlock(gp) do {                                             \
	if ((gp)->g_count < 1)                                          \
		panic("gfs_unlock: unlocking unrefed gnode");           \
	smp_unlock(&(gp)->g_lk);                                        \
} while (0)

struct file *file_console(void)
{
	return &console;
}

void file_dup(struct file *f)
{
	f->f_count++;
}

static struct file *falloc(void)
{
	struct file *f;

	for (f = file; f < &file[NFILE]; f++)
		if (!f->f_count) {
			f->f_count = 1;
			return f;
		}
	return 0;
}

/* The last close of a pipe end: one reader or writer fewer (Ultrix
 * fifo_close); the other side may be waiting for exactly that. */
void file_close(struct file *f)
{
	struct gnode *gp = f->f_data;
	struct fifonode *fp;

	if (f == &console || --f->f_count > 0)
		return;                 /* the console is never closed for good */
	if (f->f_type == DTYPE_SOCKET) {
		soclose((struct socket *)(void *)gp);
		f->f_flag = 0;
		f->f_data = 0;
		return;
	}
	fp = &gp->g_fifo;
	if (f->f_flag & FREAD)
		fp->fn_rcnt--;
	if (f->f_flag & FWRITE)
		fp->fn_wcnt--;
	if (fp->fn_flag & IFIW) {
		fp->fn_flag &= ~IFIW;
		wakeup(&fp->fn_wcnt);
	}
	if (fp->fn_flag & IFIR) {
		fp->fn_flag &= ~IFIR;
		wakeup(&fp->fn_rcnt);
	}
	if (--gp->g_count == 0) {
		pgfree(fp->fn_buf);
		fp->fn_buf = 0;
	}
	f->f_flag = 0;
	f->f_data = 0;
}

static int fdalloc(struct proc *p)
{
	int fd;

	for (fd = 0; fd < NOFILE; fd++)
		if (!p->p_ofile[fd])
			return fd;
	return -1;
}

/* Sockets are open files too (socket.c); read and write on them are not
 * supported here (Ultrix's soo_rw): recvfrom and sendto are the calls. */
static int soo_rw(struct file *fp, int rw, struct uio *uio)
{
	(void)fp;
	(void)rw;
	(void)uio;
	return EOPNOTSUPP;
}
static struct fileops socketops = {soo_rw};

int file_open_socket(struct socket *so, int *fdp)
{
	struct proc *p = curproc;
	struct file *f;
	int fd = fdalloc(p);

	if (fd < 0)
		return EMFILE;
	if (!(f = falloc()))
		return EMFILE;
	f->f_flag = FREAD | FWRITE;
	f->f_type = DTYPE_SOCKET;
	f->f_ops = &socketops;
	f->f_data = (struct gnode *)(void *)so;
	f->f_offset = 0;
	p->p_ofile[fd] = f;
	*fdp = fd;
	return 0;
}

struct socket *file_socket(uint32_t fd)
{
	struct file *f = fd < NOFILE ? curproc->p_ofile[fd] : 0;

	return f && f->f_type == DTYPE_SOCKET ? (struct socket *)(void *)f->f_data : 0;
}

/* pipe(): the read end in v0, the write end in v1. */
int sys_pipe(uint32_t *a, uint32_t *rv)
{
	struct proc *p = curproc;
	struct gnode *gp;
	struct file *rf, *wf;
	int rfd, wfd;

	(void)a;
	for (gp = pipes; gp < &pipes[NPIPE] && gp->g_count; gp++)
		;
	if (gp == &pipes[NPIPE])
		return ENOMEM;
	if ((rfd = fdalloc(p)) < 0)
		return EMFILE;
	p->p_ofile[rfd] = &console;     /* reserve the slot */
	wfd = fdalloc(p);
	p->p_ofile[rfd] = 0;
	if (wfd < 0)
		return EMFILE;
	if (!(rf = falloc()))
		return ENOMEM;
	if (!(wf = falloc())) {
		rf->f_count = 0;
		return ENOMEM;
	}
	memset(gp, 0, sizeof(*gp));
	if (!(gp->g_fifo.fn_buf = pgalloc())) {
		rf->f_count = wf->f_count = 0;
		return ENOMEM;
	}
	gp->g_mode = GFPIPE;
	gp->g_count = 2;
	gp->g_mp = &rootfs;
	gp->g_ops = &fifo_gnodeops;
	gp->g_fifo.fn_rcnt = gp->g_fifo.fn_wcnt = 1;
	rf->f_flag = FREAD;
	wf->f_flag = FWRITE;
	rf->f_type = wf->f_type = DTYPE_PIPE;
	rf->f_ops = wf->f_ops = &gnodeops;
	rf->f_data = wf->f_data = gp;
	rf->f_offset = wf->f_offset = 0;
	p->p_ofile[rfd] = rf;
	p->p_ofile[wfd] = wf;
	rv[0] = rfd;
	rv[1] = wfd;
	return 0;
}

int sys_close(uint32_t *a, uint32_t *rv)
{
	struct file *f = a[0] < NOFILE ? curproc->p_ofile[a[0]] : 0;

	(void)rv;
	if (!f)
		return EBADF;
	curproc->p_ofile[a[0]] = 0;
	file_close(f);
	return 0;
}

/*
 * uiomove(cp, n, rw, uio): move n bytes between the kernel buffer cp and the
 * user space the uio describes (Ultrix kern_subr.c), advancing the uio.
 */
static int uiomove(uint8_t *cp, int n, int rw, struct uio *uio)
{
	struct iovec *iov;
	uint32_t cnt;
	int error = 0;

	while (n > 0 && uio->uio_resid) {
		iov = uio->uio_iov;
		cnt = iov->iov_len;
		if (cnt == 0) {
			uio->uio_iov++;
			uio->uio_iovcnt--;
			continue;
		}
		if (cnt > (uint32_t)n)
			cnt = n;
		if (rw == UIO_READ)
			error = copyout(curproc, cp, iov->iov_base, cnt);
		else
			error = copyin(curproc, iov->iov_base, cp, cnt);
		if (error)
			return error;
		iov->iov_base += cnt;
		iov->iov_len -= cnt;
		uio->uio_resid -= cnt;
		uio->uio_offset += cnt;
		cp += cnt;
		n -= cnt;
	}
	return error;
}

#ifdef ATTR_PIPE_NO_UIO
/*
 * pipe_move(cp, n, rw, uio): research switch (benchmarks/attribution): the
 * pipe's copy without uiomove's walk over the iovecs -- read() and write()
 * describe one user segment, copied straight to or from the pipe buffer.
 * Returns copyin's/copyout's error.
 */
static __attribute__((noinline)) int uiomove_iovecs(uint8_t *cp, int n, int rw, struct uio *uio)
{
	return uiomove(cp, n, rw, uio);         /* (out of line: pipe_move stays small) */
}

static inline int pipe_move(uint8_t *cp, int n, int rw, struct uio *uio)
{
	struct iovec *iov = uio->uio_iov;
	int error;

	if (uio->uio_iovcnt != 1)
		return uiomove_iovecs(cp, n, rw, uio);
	error = rw == UIO_READ ? copyout(curproc, cp, iov->iov_base, n)
	                       : copyin(curproc, iov->iov_base, cp, n);
	if (!error) {
		iov->iov_base += n;
		iov->iov_len -= n;
		uio->uio_resid -= n;
	}
	return error;
}
#define FIFO_MOVE pipe_move
#else
#define FIFO_MOVE uiomove
#endif

/* Ultrix fifo_gupdat for a pipe: stamp the times the flags ask for. */
static void fifo_gupdat(struct gnode *gp, struct timeval_k *ta, struct timeval_k *tm)
{
	if (gp->g_flag & GACC)
		gp->g_atime = *ta;
	if (gp->g_flag & GUPD)
		gp->g_mtime = *tm;
	if (gp->g_flag & GCHG)
		gp->g_ctime = *timepick;
	gp->g_flag &= ~(GUPD | GACC | GCHG | GMOD);
}

/* The gnode work of fifo_rwgp: the gnode lock and the time stamps.  With the
 * research switch ATTR_PIPE_NO_GNODE (benchmarks/attribution) a pipe is no
 * file-system node: a buffer and its counters, no gnode lock, no times. */
#ifdef ATTR_PIPE_NO_GNODE
#define fifo_lock(gp)           ((void)0)
#define fifo_unlock(gp)         ((void)0)
#define fifo_stamp(gp, flags)   ((void)0)
#else
#define fifo_lock(gp)           gfs_lock(gp)
#define fifo_unlock(gp)         gfs_unlock(gp)
#define fifo_stamp(gp, flags) do {                                      \
	(gp)->g_flag |= (flags);                                        \
	fifo_gupdat(gp, timepick, timepick);                            \
} while (0)
#endif

/*
 * fifo_rwgp(gp, uio, rw, ioflag): read or write a pipe (Ultrix
 * fifo_gnodeops.c), with the gnode locked.  A write of count <= PIPE_BUF
 * bytes waits until it fits whole; a longer one goes in as room appears.
 * A read takes what is there (at most the request), sleeping while the
 * pipe is empty and has a writer.  The copy is uiomove's; the sleeper on
 * the other side is woken only if it set IFIR/IFIW.
 */
static int fifo_rwgp(struct gnode *gp, struct uio *uio, int rw, int ioflag)
{
	struct fifonode *fp = &gp->g_fifo;
	uint32_t count, off, i;
	int rval = 0;

	fifo_lock(gp);
	if (rw == UIO_WRITE) {
		if ((uint32_t)uio->uio_resid > PIPE_MAX) {
			rval = EINVAL;
			goto done;
		}
		while ((count = uio->uio_resid)) {
			if (fp->fn_rcnt == 0) {
				psignal(curproc, SIGPIPE);      /* no readers any more */
				rval = EPIPE;
				goto done;
			}
			if (count + fp->fn_size > PIPE_BUF) {
				if (count <= PIPE_BUF || fp->fn_size >= PIPE_BUF) {
					/* sleep until there is room for this request */
					fp->fn_flag |= IFIW;
					fifo_unlock(gp);
					sleep(&fp->fn_wcnt, PPIPE);
					fifo_lock(gp);
					continue;
				}
				count = PIPE_BUF - fp->fn_size;         /* a partial write */
			}
			while (count) {                 /* at most two pieces: the buffer wraps */
				off = fp->fn_wptr % PIPE_BUF;
				i = PIPE_BUF - off < count ? PIPE_BUF - off : count;
				if ((rval = FIFO_MOVE(fp->fn_buf + off, i, UIO_WRITE, uio)))
					goto done;
				fp->fn_size += i;
				fp->fn_wptr += i;
				count -= i;
			}
			fifo_stamp(gp, GUPD | GCHG);
			if (fp->fn_flag & IFIR) {       /* wake sleeping readers */
				fp->fn_flag &= ~IFIR;
#ifdef ATTR_SCHED_HANDOFF
				/* Research switch: the CPU goes straight to the reader. */
				fifo_unlock(gp);
				wakeup_handoff(&fp->fn_rcnt);
				fifo_lock(gp);
#else
				wakeup(&fp->fn_rcnt);
#endif
			}
			if (fp->fn_rselp) {             /* and selecting ones */
				fp->fn_flag &= ~IF_RCOLL;
				fp->fn_rselp = 0;
			}
		}
	} else {
		if ((count = uio->uio_resid) == 0)
			goto done;
		while ((i = fp->fn_size) == 0) {
			if (fp->fn_wcnt == 0)
				goto done;              /* no data and no writers: EOF */
			if (ioflag & (FNDELAY | FNBLOCK)) {
				rval = EAGAIN;
				goto done;
			}
			fp->fn_flag |= IFIR;
			fifo_unlock(gp);
			sleep(&fp->fn_rcnt, PPIPE);
			fifo_lock(gp);
		}
		if (count > i)
			count = i;
		while (count) {
			off = fp->fn_rptr % PIPE_BUF;
			i = PIPE_BUF - off < count ? PIPE_BUF - off : count;
			if ((rval = FIFO_MOVE(fp->fn_buf + off, i, UIO_READ, uio)))
				goto done;
			fp->fn_size -= i;
			fp->fn_rptr += i;
			count -= i;
		}
		fifo_stamp(gp, GACC);
		if (fp->fn_flag & IFIW) {               /* wake sleeping writers */
			fp->fn_flag &= ~IFIW;
#ifdef ATTR_SCHED_HANDOFF
			fifo_unlock(gp);
			wakeup_handoff(&fp->fn_wcnt);
			fifo_lock(gp);
#else
			wakeup(&fp->fn_wcnt);
#endif
		}
		if (fp->fn_wselp) {
			fp->fn_flag &= ~IF_WCOLL;
			fp->fn_wselp = 0;
		}
	}
done:
	fifo_unlock(gp);
	uio->uio_offset = 0;
	return rval;
}

/* The console as a character device: writes go to the board console. */
static int cons_rwgp(struct gnode *gp, struct uio *uio, int rw, int ioflag)
{
	char buf[64];
	int n, err;

	(void)gp;
	(void)ioflag;
	if (rw == UIO_READ)
		return 0;                       /* nothing to read: EOF */
	while (uio->uio_resid > 0) {
		n = uio->uio_resid < (int)sizeof(buf) ? uio->uio_resid : (int)sizeof(buf);
		if ((err = uiomove((uint8_t *)buf, n, UIO_WRITE, uio)))
			return err;
		for (int i = 0; i < n; i++)
			kputc(buf[i]);
	}
	return 0;
}

/*
 * rwgp(gp, uio, rw, ioflag): Ultrix gfs_gnodeops.c -- the checks common to
 * every gnode, the gnode's own read/write, and for a successful read the
 * access flag (under the gnode lock) on a local file system.
 */
static int rwgp(struct gnode *gp, struct uio *uio, int rw, int ioflag)
{
	int type = gp->g_mode & GFMT, ret;

	if (rw != UIO_READ && rw != UIO_WRITE)
		panic("rwgp");
	if (rw == UIO_READ && uio->uio_resid == 0)
		return 0;
	if (uio->uio_offset < 0 && type != GFCHR)
		return EINVAL;
	ret = gp->g_ops->go_rwgp(gp, uio, rw, ioflag);
	if (!ret && rw == UIO_READ && gp->g_mp->m_local) {
		gfs_lock(gp);
		gp->g_flag |= GACC;
		gfs_unlock(gp);
	}
	return ret;
}

/* gno_rw(fp, rw, uio): the file's read/write for gnodes (Ultrix). */
static int gno_rw(struct file *fp, int rw, struct uio *uio)
{
	struct gnode *gp = fp->f_data;

	if ((gp->g_mode & GFMT) == GFREG)
		panic("gno_rw: no regular files");
	uio->uio_flag = fp->f_flag;
	if (fp->f_flag & (FNBLOCK | FNDELAY))
		return rwgp(gp, uio, rw, IO_ASYNC | FNDELAY);
	return rwgp(gp, uio, rw, IO_ASYNC);
}

/* The file's read/write: its fo_rw (for a pipe gno_rw, rwgp, then the
 * gnode's go_rwgp); with the research switch ATTR_PIPE_NO_GNODE
 * (benchmarks/attribution) a pipe's is called directly, without the gnode
 * layer's indirect calls and generic checks, with gno_rw's ioflag. */
static inline int file_rw(struct file *fp, int rw, struct uio *uio)
{
#ifdef ATTR_PIPE_NO_GNODE
	if (fp->f_type == DTYPE_PIPE)
		return fifo_rwgp(fp->f_data, uio, rw,
		                 fp->f_flag & (FNBLOCK | FNDELAY) ? IO_ASYNC | FNDELAY : IO_ASYNC);
#endif
	return fp->f_ops->fo_rw(fp, rw, uio);
}

/*
 * rwuio(uio, rw, rv): Ultrix sys_generic.c.  GETF, the mode check, total the
 * iovecs into uio_resid, set u.u_qsave so that a signal during a sleep lands
 * here (EINTR if nothing moved, else the partial count), call fo_rw and
 * return the bytes moved; for files with offsets advance f_offset.
 */
static int rwuio(struct uio *uio, int rw, uint32_t *rv)
{
	uint32_t fd = u.u_arg[0];
	struct file *fp;
	struct iovec *iov;
	int i, count, error, locked = 0;

	if (fd >= NOFILE || !(fp = curproc->p_ofile[fd]))
		return EBADF;                   /* GETF */
	if ((fp->f_flag & (rw == UIO_READ ? FREAD : FWRITE)) == 0)
		return EBADF;
	uio->uio_resid = 0;
	uio->uio_segflg = UIO_USERSPACE;
	iov = uio->uio_iov;
	for (i = 0; i < uio->uio_iovcnt; i++, iov++) {
		if (iov->iov_len < 0)
			return EINVAL;
		uio->uio_resid += iov->iov_len;
		if (uio->uio_resid < 0)
			return EINVAL;
	}
	count = uio->uio_resid;
	if (fp->f_type == DTYPE_INODE && (fp->f_data->g_mode & GFMT) != GFCHR) {
		locked = 1;
		smp_lock(&fp->f_lk);
	}
	uio->uio_offset = fp->f_offset;
	error = 0;
	if (setjmp(&u.u_qsave)) {
		if (uio->uio_resid == count)
			error = EINTR;          /* Ultrix: EINTR, or a restart if SV_INTERRUPT is off */
	} else {
		error = file_rw(fp, rw, uio);
	}
	rv[0] = count - uio->uio_resid;
	if (!locked)
		smp_lock(&fp->f_lk);
	if (fp->f_type != DTYPE_PIPE)
		fp->f_offset += rv[0];
	smp_unlock(&fp->f_lk);
	return error;
}

#ifdef ATTR_PIPE_NO_UIO
/*
 * pipe_rw(uio, rw, rv): research switch (benchmarks/attribution): read() or
 * write() of a pipe straight from the system call, without rwuio's layer
 * (no iovec totalling, no second u.u_qsave, no file lock or offset): the
 * one segment goes to the pipe as it is (pipe_move copies it).  Only for
 * transfers whose sleeps all come before any byte moves -- every read, and
 * writes of at most PIPE_BUF bytes (atomic) -- so a signal in that sleep
 * lands in syscall()'s u.u_qsave and EINTR is exactly what rwuio would
 * return.  Returns the error (rv[0] the bytes moved), or -1 when the call
 * is not such a transfer and must take rwuio's path.
 */
static int pipe_rw(struct uio *uio, int rw, uint32_t *rv)
{
	uint32_t fd = u.u_arg[0];
	struct file *fp = fd < NOFILE ? curproc->p_ofile[fd] : 0;
	int count = uio->uio_iov->iov_len, error;

	if (!fp || fp->f_type != DTYPE_PIPE || count < 0 || (rw == UIO_WRITE && count > PIPE_BUF))
		return -1;
	if ((fp->f_flag & (rw == UIO_READ ? FREAD : FWRITE)) == 0)
		return EBADF;
	uio->uio_resid = count;
	uio->uio_offset = 0;
	uio->uio_segflg = UIO_USERSPACE;
	error = file_rw(fp, rw, uio);
	rv[0] = count - uio->uio_resid;
	return error;
}
#endif

int sys_read(uint32_t *a, uint32_t *rv)
{
	struct uio auio;
	struct iovec aiov;

	aiov.iov_base = a[1];
	aiov.iov_len = a[2];
	auio.uio_iov = &aiov;
	auio.uio_iovcnt = 1;
#ifdef ATTR_PIPE_NO_UIO
	int error = pipe_rw(&auio, UIO_READ, rv);
	if (error >= 0)
		return error;
#endif
	return rwuio(&auio, UIO_READ, rv);
}

int sys_write(uint32_t *a, uint32_t *rv)
{
	struct uio auio;
	struct iovec aiov;

	auio.uio_iov = &aiov;
	auio.uio_iovcnt = 1;
	aiov.iov_base = a[1];
	aiov.iov_len = a[2];
#ifdef ATTR_PIPE_NO_UIO
	int error = pipe_rw(&auio, UIO_WRITE, rv);
	if (error >= 0)
		return error;
#endif
	return rwuio(&auio, UIO_WRITE, rv);
}
