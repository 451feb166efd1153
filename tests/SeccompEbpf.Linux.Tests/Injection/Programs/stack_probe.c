/* Test program for filter stacking: a multi-threaded getpid hammer in this process and in one forked
 * child, until the file STOPFILE exists. Prints "CHILD <pid>" and "SELF <pid>" at start, then one line
 * per process at the end:
 *   PROC <pid> ok <n> eperm <n> other <n> ok_after_eperm <n>
 * ok_after_eperm counts calls that succeeded on a thread that had already seen EPERM: a transition to
 * a stricter verdict must be final, so it must be 0.
 *   stack_probe hammer THREADS STOPFILE
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct tally { long ok, eperm, other, ok_after_eperm; };
static const char *stop_file;
static volatile int stop;

static void *hammer(void *arg)
{
    struct tally *t = arg;
    int seen_eperm = 0;
    for (long i = 0; !stop; i++) {
        long r = syscall(SYS_getpid);
        if (r >= 0) { t->ok++; if (seen_eperm) t->ok_after_eperm++; }
        else if (errno == EPERM) { t->eperm++; seen_eperm = 1; }
        else t->other++;
    }
    return NULL;
}

static void run(int threads)
{
    pthread_t ids[64];
    struct tally tallies[64];
    memset(tallies, 0, sizeof tallies);
    for (int i = 0; i < threads; i++) pthread_create(&ids[i], NULL, hammer, &tallies[i]);
    while (access(stop_file, F_OK) != 0) usleep(2000);
    stop = 1;
    struct tally sum = {0, 0, 0, 0};
    for (int i = 0; i < threads; i++) {
        pthread_join(ids[i], NULL);
        sum.ok += tallies[i].ok; sum.eperm += tallies[i].eperm; sum.other += tallies[i].other;
        sum.ok_after_eperm += tallies[i].ok_after_eperm;
    }
    printf("PROC %d ok %ld eperm %ld other %ld ok_after_eperm %ld\n", (int)syscall(SYS_gettid), sum.ok, sum.eperm, sum.other, sum.ok_after_eperm);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc != 4 || strcmp(argv[1], "hammer") != 0) { fprintf(stderr, "usage: stack_probe hammer THREADS STOPFILE\n"); return 2; }
    int threads = atoi(argv[2]);
    if (threads < 1 || threads > 64) return 2;
    stop_file = argv[3];
    printf("SELF %d\n", (int)syscall(SYS_gettid)); /* not getpid: that is the call being counted */
    pid_t child = fork();
    if (child == 0) { run(threads); return 0; }
    printf("CHILD %d\n", (int)child);
    run(threads);
    int status;
    waitpid(child, &status, 0);
    return 0;
}
