/* Benchmark workload: makes N calls of one cheap system call and prints
 *   "calls N ok K fail F ns_per_call X total_s Y"
 * Usage: syscall_loop getpid|getppid N */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 3) { fprintf(stderr, "usage: syscall_loop getpid|getppid N\n"); return 2; }
    long nr = !strcmp(argv[1], "getppid") ? SYS_getppid : SYS_getpid;
    long n = atol(argv[2]), ok = 0, fail = 0;
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < n; i++) {
        if (syscall(nr) >= 0) ok++; else fail++;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double total = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    printf("calls %ld ok %ld fail %ld ns_per_call %.1f total_s %.6f\n", n, ok, fail, n ? total * 1e9 / n : 0.0, total);
    return 0;
}
