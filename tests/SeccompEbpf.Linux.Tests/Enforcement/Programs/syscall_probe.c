/* Test program for the enforcement tests: makes system calls in patterns and prints what the
 * kernel answered, one summary line per mode.
 *   getpid N            N getpid calls                        -> "ok K fail F errno E"
 *   threads T N         T threads, N getpid calls each        -> same summary, all threads summed
 *   fork P N            P child processes, N calls each       -> same summary, all children summed
 *   close FD            close(FD)                             -> "close R errno E"
 *   watch MS MAXFAIL    getpid every MS ms, one line per call, stops after MAXFAIL failures or 20 s
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct counts { long ok, fail; int last_errno; };

static void count_getpid(struct counts *c, long n)
{
    for (long i = 0; i < n; i++) {
        long r = syscall(SYS_getpid);
        if (r >= 0) c->ok++;
        else { c->fail++; c->last_errno = errno; }
    }
}

static void print_counts(const struct counts *c)
{
    printf("ok %ld fail %ld errno %d\n", c->ok, c->fail, c->last_errno);
}

static long per_thread;
static void *thread_main(void *arg)
{
    count_getpid((struct counts *)arg, per_thread);
    return NULL;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2) { fprintf(stderr, "usage: see source\n"); return 2; }
    struct counts total = {0, 0, 0};
    if (!strcmp(argv[1], "getpid") && argc == 3) {
        count_getpid(&total, atol(argv[2]));
        print_counts(&total);
    } else if (!strcmp(argv[1], "threads") && argc == 4) {
        int t = atoi(argv[2]);
        per_thread = atol(argv[3]);
        pthread_t ids[64];
        struct counts each[64];
        memset(each, 0, sizeof each);
        for (int i = 0; i < t && i < 64; i++) pthread_create(&ids[i], NULL, thread_main, &each[i]);
        for (int i = 0; i < t && i < 64; i++) {
            pthread_join(ids[i], NULL);
            total.ok += each[i].ok; total.fail += each[i].fail;
            if (each[i].last_errno) total.last_errno = each[i].last_errno;
        }
        print_counts(&total);
    } else if (!strcmp(argv[1], "fork") && argc == 4) {
        int p = atoi(argv[2]);
        long n = atol(argv[3]);
        int fds[2];
        if (pipe(fds) != 0) return 3;
        for (int i = 0; i < p; i++) {
            pid_t child = fork();
            if (child == 0) {
                struct counts c = {0, 0, 0};
                count_getpid(&c, n);
                if (write(fds[1], &c, sizeof c) != sizeof c) _exit(4);
                _exit(0);
            }
        }
        close(fds[1]);
        struct counts c;
        while (read(fds[0], &c, sizeof c) == sizeof c) {
            total.ok += c.ok; total.fail += c.fail;
            if (c.last_errno) total.last_errno = c.last_errno;
        }
        while (wait(NULL) > 0) {}
        print_counts(&total);
    } else if (!strcmp(argv[1], "close") && argc == 3) {
        errno = 0;
        int r = close(atoi(argv[2]));
        printf("close %d errno %d\n", r, r == 0 ? 0 : errno);
    } else if (!strcmp(argv[1], "watch") && argc == 4) {
        long ms = atol(argv[2]), max_fail = atol(argv[3]), fails = 0;
        struct timespec pause = { ms / 1000, (ms % 1000) * 1000000L };
        for (long i = 0; i < 20000 / (ms ? ms : 1) && fails < max_fail; i++) {
            long r = syscall(SYS_getpid);
            if (r >= 0) printf("ok\n");
            else { printf("fail %d\n", errno); fails++; }
            nanosleep(&pause, NULL);
        }
        printf("done\n");
    } else {
        fprintf(stderr, "unknown mode %s\n", argv[1]);
        return 2;
    }
    return 0;
}
