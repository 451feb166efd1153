/* Test program for the real-policy tests (static, so the dynamic loader makes no calls of its own).
 *   exec-again PATH      execve(PATH, "exec-again-child") again in this process -> "exec R errno E"
 *   exec-in-child PATH   a forked child execs PATH "hello"              -> the child's output, then "child S"
 *   hello                prints "hello"
 *   open PATH...         openat(AT_FDCWD, PATH, O_RDONLY) each          -> "open PATH ok|errno E" per path
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 2 && !strcmp(argv[1], "hello")) { printf("hello\n"); return 0; }
    if (argc == 3 && !strcmp(argv[1], "exec-again")) {
        char *args[] = { argv[2], "hello", NULL };
        execve(argv[2], args, NULL);
        printf("exec -1 errno %d\n", errno);
        return 0;
    }
    if (argc == 3 && !strcmp(argv[1], "exec-in-child")) {
        pid_t child = fork();
        if (child == 0) {
            char *args[] = { argv[2], "hello", NULL };
            execve(argv[2], args, NULL);
            printf("child exec errno %d\n", errno);
            _exit(9);
        }
        int status = 0;
        waitpid(child, &status, 0);
        printf("child %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        return 0;
    }
    if (argc >= 3 && !strcmp(argv[1], "open")) {
        for (int i = 2; i < argc; i++) {
            int fd = (int)syscall(SYS_openat, AT_FDCWD, argv[i], O_RDONLY);
            if (fd >= 0) { printf("open %s ok\n", argv[i]); close(fd); }
            else printf("open %s errno %d\n", argv[i], errno);
        }
        return 0;
    }
    fprintf(stderr, "unknown mode\n");
    return 2;
}
