/* Benchmark workload: N times openat(AT_FDCWD, PATH, O_RDONLY) and close, timed by itself:
 *   "calls N ok K fail F ns_per_call X total_s Y"   (the same summary as bench/notify/syscall_loop.c)
 * Usage: open_loop PATH N */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 3) { fprintf(stderr, "usage: open_loop PATH N\n"); return 2; }
    long n = atol(argv[2]), ok = 0, fail = 0;
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < n; i++) {
        int fd = (int)syscall(SYS_openat, AT_FDCWD, argv[1], O_RDONLY);
        if (fd >= 0) { ok++; close(fd); } else fail++;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double total = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    printf("calls %ld ok %ld fail %ld ns_per_call %.1f total_s %.6f\n", n, ok, fail, n ? total * 1e9 / n : 0.0, total);
    return 0;
}
