/*
 * pipe.c - open files (console and pipes), pipe(), read(), write(), close().
 *
 * Ultrix 4.2 pipes are System V-style FIFOs (sys/fs/specfs/fifo_gnodeops.c
 * fifo_rwgp): a kernel buffer, data moved with uiomove (copyin/copyout),
 * writers of up to PIPE_BUF bytes wait until the whole write fits (atomic),
 * readers sleep while the pipe is empty and writers exist, EOF when the
 * last writer is gone, SIGPIPE/EPIPE when the last reader is.  Ultrix keeps
 * the data in a list of PIPE_BSZ blocks; one PIPE_BUF circular buffer per
 * pipe holds the same amount with simpler bookkeeping.
 */
#include "kern.h"

enum { FCONSOLE = 1, FPIPE_R, FPIPE_W };

struct pipe {
	uint8_t *buf;                   /* PIPE_BUF bytes, a page */
	uint32_t rpos, wpos;            /* free-running byte counts */
	int readers, writers;
};

struct file {
	int f_type;
	int f_count;
	struct pipe *f_pipe;
};

#define NFILE 64
#define NPIPE 16
static struct file file[NFILE];
static struct pipe pipes[NPIPE];
static struct file console = {FCONSOLE, 1, 0};

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

void file_close(struct file *f)
{
	struct pipe *pp = f->f_pipe;

	if (f == &console || --f->f_count > 0)
		return;                 /* the console is never closed for good */
	if (f->f_type == FPIPE_R) {
		pp->readers--;
		wakeup(&pp->wpos);
	} else if (f->f_type == FPIPE_W) {
		pp->writers--;
		wakeup(&pp->rpos);
	}
	if (pp && !pp->readers && !pp->writers) {
		pgfree(pp->buf);
		pp->buf = 0;
	}
	f->f_type = 0;
	f->f_pipe = 0;
}

static int fdalloc(struct proc *p)
{
	int fd;

	for (fd = 0; fd < NOFILE; fd++)
		if (!p->p_ofile[fd])
			return fd;
	return -1;
}

static struct file *getf(uint32_t fd)
{
	return fd < NOFILE ? curproc->p_ofile[fd] : 0;
}

/* pipe(): the read end in v0, the write end in v1. */
int sys_pipe(uint32_t *a, uint32_t *rv)
{
	struct proc *p = curproc;
	struct pipe *pp;
	struct file *rf, *wf;
	int rfd, wfd;

	(void)a;
	for (pp = pipes; pp < &pipes[NPIPE] && pp->buf; pp++)
		;
	if (pp == &pipes[NPIPE])
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
	if (!(pp->buf = pgalloc())) {
		rf->f_count = wf->f_count = 0;
		return ENOMEM;
	}
	pp->rpos = pp->wpos = 0;
	pp->readers = pp->writers = 1;
	rf->f_type = FPIPE_R;
	rf->f_pipe = pp;
	wf->f_type = FPIPE_W;
	wf->f_pipe = pp;
	p->p_ofile[rfd] = rf;
	p->p_ofile[wfd] = wf;
	rv[0] = rfd;
	rv[1] = wfd;
	return 0;
}

int sys_close(uint32_t *a, uint32_t *rv)
{
	struct file *f = getf(a[0]);

	(void)rv;
	if (!f)
		return EBADF;
	curproc->p_ofile[a[0]] = 0;
	file_close(f);
	return 0;
}

int sys_read(uint32_t *a, uint32_t *rv)
{
	struct proc *p = curproc;
	struct file *f = getf(a[0]);
	struct pipe *pp;
	uint32_t uva = a[1], n = a[2], avail, off, chunk;
	int err;

	if (!f || f->f_type != FPIPE_R)
		return EBADF;
	pp = f->f_pipe;
	if (n == 0)
		return 0;
	while (pp->wpos == pp->rpos) {
		if (!pp->writers) {
			rv[0] = 0;              /* end of file */
			return 0;
		}
		sleep(&pp->rpos, 1);
	}
	avail = pp->wpos - pp->rpos;
	if (n > avail)
		n = avail;
	off = pp->rpos % PIPE_BUF;
	chunk = PIPE_BUF - off < n ? PIPE_BUF - off : n;
	if ((err = copyout(p, pp->buf + off, uva, chunk)) ||
	    (n > chunk && (err = copyout(p, pp->buf, uva + chunk, n - chunk))))
		return err;
	pp->rpos += n;
	wakeup(&pp->wpos);
	rv[0] = n;
	return 0;
}

static int console_write(uint32_t uva, uint32_t n)
{
	char buf[64];
	uint32_t i, chunk;
	int err;

	for (; n; n -= chunk, uva += chunk) {
		chunk = n < sizeof(buf) ? n : sizeof(buf);
		if ((err = copyin(curproc, uva, buf, chunk)))
			return err;
		for (i = 0; i < chunk; i++)
			kputc(buf[i]);
	}
	return 0;
}

int sys_write(uint32_t *a, uint32_t *rv)
{
	struct proc *p = curproc;
	struct file *f = getf(a[0]);
	struct pipe *pp;
	uint32_t uva = a[1], n = a[2], done = 0;
	int err;

	if (!f || f->f_type == FPIPE_R)
		return EBADF;
	if (f->f_type == FCONSOLE) {
		if ((err = console_write(uva, n)))
			return err;
		rv[0] = n;
		return 0;
	}
	pp = f->f_pipe;
	while (done < n) {
		uint32_t space, want, off, chunk;
		if (!pp->readers) {
			psignal(p, SIGPIPE);
			return EPIPE;
		}
		space = PIPE_BUF - (pp->wpos - pp->rpos);
		/* Up to PIPE_BUF bytes go in one piece; larger writes as room appears. */
		want = n - done;
		if (n <= PIPE_BUF ? space < want : space == 0) {
			sleep(&pp->wpos, 1);
			continue;
		}
		if (want > space)
			want = space;
		off = pp->wpos % PIPE_BUF;
		chunk = PIPE_BUF - off < want ? PIPE_BUF - off : want;
		if ((err = copyin(p, uva + done, pp->buf + off, chunk)) ||
		    (want > chunk && (err = copyin(p, uva + done + chunk, pp->buf, want - chunk))))
			return err;
		pp->wpos += want;
		done += want;
		wakeup(&pp->rpos);
	}
	rv[0] = n;
	return 0;
}
