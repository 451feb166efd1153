/* The time-of-check/time-of-use race on an open's path: flipper threads keep rewriting one path
 * buffer between an allowed name and a forbidden one of the same length, while opener threads call
 * openat on that buffer. A supervisor that checks the path and then lets the kernel run the call
 * (CONTINUE) opens the forbidden file whenever the buffer changed in between.
 *   open_race DIR ALLOWED FORBIDDEN ATTEMPTS OPENERS FLIPPERS
 * prints "attempts N allowed A forbidden F refused R other O" (files told apart by inode). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static char path[256];
static char allowed[256], forbidden[256];
static size_t length;
static ino_t allowed_ino, forbidden_ino;
static atomic_long remaining, n_allowed, n_forbidden, n_refused, n_other;
static atomic_int stop;

static void *flipper(void *unused)
{
    (void)unused;
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        memcpy(path, forbidden, length);
        __asm__ volatile ("" ::: "memory");
        memcpy(path, allowed, length);
        __asm__ volatile ("" ::: "memory");
    }
    return NULL;
}

static void *opener(void *unused)
{
    (void)unused;
    while (atomic_fetch_sub(&remaining, 1) > 0) {
        int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);
        if (fd < 0) { atomic_fetch_add(errno == EACCES ? &n_refused : &n_other, 1); continue; }
        struct stat st;
        fstat(fd, &st);
        atomic_fetch_add(st.st_ino == forbidden_ino ? &n_forbidden : st.st_ino == allowed_ino ? &n_allowed : &n_other, 1);
        close(fd);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 7) { fprintf(stderr, "usage: open_race DIR ALLOWED FORBIDDEN ATTEMPTS OPENERS FLIPPERS\n"); return 2; }
    snprintf(allowed, sizeof allowed, "%s/%s", argv[1], argv[2]);
    snprintf(forbidden, sizeof forbidden, "%s/%s", argv[1], argv[3]);
    length = strlen(allowed) + 1;
    if (length != strlen(forbidden) + 1) { fprintf(stderr, "the two names must have the same length\n"); return 2; }
    struct stat st;
    /* Looked up with stat, not open: under the sandbox every open is decided by the filter. */
    if (stat(allowed, &st)) { perror(allowed); return 2; }
    allowed_ino = st.st_ino;
    if (stat(forbidden, &st)) { perror(forbidden); return 2; }
    forbidden_ino = st.st_ino;
    memcpy(path, allowed, length);
    atomic_store(&remaining, atol(argv[4]));
    int openers = atoi(argv[5]), flippers = atoi(argv[6]);
    pthread_t threads[64];
    for (int i = 0; i < flippers; i++) pthread_create(&threads[i], NULL, flipper, NULL);
    for (int i = 0; i < openers; i++) pthread_create(&threads[flippers + i], NULL, opener, NULL);
    for (int i = 0; i < openers; i++) pthread_join(threads[flippers + i], NULL);
    atomic_store(&stop, 1);
    for (int i = 0; i < flippers; i++) pthread_join(threads[i], NULL);
    printf("attempts %s allowed %ld forbidden %ld refused %ld other %ld\n", argv[4],
        atomic_load(&n_allowed), atomic_load(&n_forbidden), atomic_load(&n_refused), atomic_load(&n_other));
    return 0;
}
