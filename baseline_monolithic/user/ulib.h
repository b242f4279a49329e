/*
 * ulib.h - the baseline user runtime's system-call stubs (syscalls.S).
 * Each returns its result, or -errno when the kernel set the a3 error flag.
 */
#ifndef BASELINE_ULIB_H
#define BASELINE_ULIB_H
#include <stddef.h>
#include <stdint.h>
#include "uabi.h"

void _exit(int status) __attribute__((noreturn));
int read(int fd, void *buf, uint32_t n);
int write(int fd, const void *buf, uint32_t n);
int close(int fd);
int wait(uint32_t *status);
int getpid(void);
int kill(int pid, int sig);
int mmap(uint32_t va, uint32_t npages);
int mprotect(uint32_t va, uint32_t len, int prot);
int sigblock(uint32_t mask);
int sigsetmask(uint32_t mask);
int sigpause(uint32_t mask);
int shmat(uint32_t va, uint32_t npages, int key);
int spawn(const char *module);
int fork(void);
int yield(int pid);
int pipe(int fds[2]);
int socket(int domain, int type, int protocol);
int bind(int s, const struct sockaddr_in *name, uint32_t namelen);
int sendto(int s, const void *buf, uint32_t len, int flags, const struct sockaddr_in *to, uint32_t tolen);
int recvfrom(int s, void *buf, uint32_t len, int flags, struct sockaddr_in *from, uint32_t *fromlen);
uint32_t getparam(const char *name, uint32_t dflt);
int sigvec(int sig, const struct sigvec *nsv, struct sigvec *osv);
void sigtramp(void);

#include "libc.h"
void print(const char *s);              /* to the console, via write(1) */
void print_hex(uint32_t v);
#endif
