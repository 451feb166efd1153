/* Test program for open emulation: runs the steps given as arguments and prints one line per
 * open, so that a run without the sandbox and a run whose opens the supervisor carries out can be
 * compared line by line. Static and non-PIE, so its data lies below 4 GiB (the i386 steps pass
 * pointers to int 0x80).
 *
 * Steps (fields separated by ':'):
 *   cd:DIR  chroot:DIR (then chdir /)  umask:OCTAL  rlimit:N (RLIMIT_NOFILE)  mkfifo:PATH
 *   defacl:DIR                       give DIR a default ACL (u::rwx,g::rwx,o::rwx): creating there ignores the umask
 *   open:PATH:FLAGS[:MODE]           open(2)            FLAGS: names joined by '|', e.g. WRONLY|CREAT
 *   openat:DIR:PATH:FLAGS[:MODE]     openat(2)          DIR: cwd, fd99 (not open), or a directory opened first
 *   openat2:DIR:PATH:FLAGS:MODE:RES  openat2(2)         RES: BENEATH|IN_ROOT|NO_SYMLINKS|NO_MAGICLINKS|NO_XDEV|0
 *   creat:PATH:MODE                  creat(2)
 *   open32:PATH:FLAGS[:MODE] openat32:PATH:FLAGS creat32:PATH:MODE   the i386 calls, by int 0x80
 *   x32openat:PATH:FLAGS             openat through the x32 ABI
 *   hold:PATH                        open O_RDONLY and keep it open (fills the table)
 *   efault                           open() of an unmapped address
 *   longpath:N                       open() of a path of N bytes
 *   procself / threadself            /proc/self/status and, from a new thread, /proc/thread-self/status: whose are they?
 *   mem:PATH                         open PATH O_RDWR, read this process's cookie through it
 *   fdscan:PREFIX:MAX                open PREFIX0..PREFIXMAX; is each the same file as our own fd N?
 *   reopen-opath:PATH                open PATH with O_PATH, then /proc/self/fd/N O_RDONLY
 *   fifo:PATH                        a child writes "ping" into the FIFO, we read it (both opens block)
 *   parent-open:NAME                 open /proc/PPID/NAME O_RDONLY (the sandbox's parent is the supervisor)
 *   parent-reopen:NAME               open /proc/PPID/NAME with O_PATH, then reopen it through /proc/self/fd
 *   parent-dirfd:NAME                open /proc/PPID with O_PATH, then openat(that, NAME)
 *   parent-fdscan:MAX                open /proc/PPID/fd/0..MAX
 * A result line: "<step>: ok fd=N type=T mode=M owner=U:G size=S fl=F cloexec=C fdinfo=F/mnt data=..." or "<step>: err NAME".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define KERNEL_O_LARGEFILE 0100000 /* glibc defines O_LARGEFILE as 0 on 64-bit */

static char buffer32[4096];      /* below 4 GiB: i386 and x32 calls take 32-bit pointers */
static volatile long cookie = 0x5eccc0de5eccc0deL;

static const char *errname(int e)
{
    switch (e) {
    case ENOENT: return "ENOENT"; case EACCES: return "EACCES"; case EPERM: return "EPERM";
    case ELOOP: return "ELOOP"; case EMFILE: return "EMFILE"; case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR"; case EEXIST: return "EEXIST"; case EXDEV: return "EXDEV";
    case EFAULT: return "EFAULT"; case ENAMETOOLONG: return "ENAMETOOLONG"; case EINVAL: return "EINVAL";
    case ENOSYS: return "ENOSYS"; case EBADF: return "EBADF"; case ENXIO: return "ENXIO";
    case EOVERFLOW: return "EOVERFLOW"; case EAGAIN: return "EAGAIN"; case E2BIG: return "E2BIG";
    default: { static char b[32]; snprintf(b, sizeof b, "errno%d", e); return b; }
    }
}

static int parse_flags(const char *text)
{
    static const struct { const char *name; int value; } names[] = {
        {"RDONLY", O_RDONLY}, {"WRONLY", O_WRONLY}, {"RDWR", O_RDWR}, {"CREAT", O_CREAT}, {"EXCL", O_EXCL},
        {"TRUNC", O_TRUNC}, {"APPEND", O_APPEND}, {"NONBLOCK", O_NONBLOCK}, {"DIRECTORY", O_DIRECTORY},
        {"NOFOLLOW", O_NOFOLLOW}, {"CLOEXEC", O_CLOEXEC}, {"PATH", O_PATH}, {"TMPFILE", O_TMPFILE},
        {"NOCTTY", O_NOCTTY}, {"DSYNC", O_DSYNC}, {"SYNC", O_SYNC}, {"LARGEFILE", KERNEL_O_LARGEFILE},
    };
    int flags = 0;
    char copy[256];
    snprintf(copy, sizeof copy, "%s", text);
    for (char *save, *name = strtok_r(copy, "|", &save); name; name = strtok_r(NULL, "|", &save)) {
        int found = 0;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (!strcmp(name, names[i].name)) { flags |= names[i].value; found = 1; }
        if (!found) flags |= (int)strtol(name, NULL, 0);
    }
    return flags;
}

static unsigned long long parse_resolve(const char *text)
{
    unsigned long long r = 0;
    if (strstr(text, "BENEATH")) r |= RESOLVE_BENEATH;
    if (strstr(text, "IN_ROOT")) r |= RESOLVE_IN_ROOT;
    if (strstr(text, "NO_SYMLINKS")) r |= RESOLVE_NO_SYMLINKS;
    if (strstr(text, "NO_MAGICLINKS")) r |= RESOLVE_NO_MAGICLINKS;
    if (strstr(text, "NO_XDEV")) r |= RESOLVE_NO_XDEV;
    return r;
}

static const char *type_name(mode_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG: return "reg"; case S_IFDIR: return "dir"; case S_IFLNK: return "lnk";
    case S_IFCHR: return "chr"; case S_IFIFO: return "fifo"; case S_IFSOCK: return "sock"; default: return "other";
    }
}

/* Prints what the descriptor is; mask: flag bits left out of the comparison (O_LARGEFILE for i386). */
static void report(const char *step, long fd, int mask)
{
    if (fd < 0) { printf("%s: err %s\n", step, errname((int)-fd)); return; }
    struct stat st;
    fstat((int)fd, &st);
    int fl = fcntl((int)fd, F_GETFL) & ~mask;
    int cloexec = (fcntl((int)fd, F_GETFD) & FD_CLOEXEC) != 0;
    char path[64], info[512] = "", data[33] = "";
    snprintf(path, sizeof path, "/proc/self/fdinfo/%ld", fd);
    FILE *f = fopen(path, "r");
    unsigned fdinfo_flags = 0, mnt = 0;
    if (f) {
        while (fgets(info, sizeof info, f)) {
            sscanf(info, "flags: %o", &fdinfo_flags);
            sscanf(info, "mnt_id: %u", &mnt);
        }
        fclose(f);
    }
    fdinfo_flags &= ~(unsigned)mask;
    if (S_ISREG(st.st_mode) && !(fl & O_PATH) && (fl & O_ACCMODE) != O_WRONLY) {
        ssize_t n = pread((int)fd, data, 32, 0);
        data[n > 0 ? n : 0] = 0;
        for (char *c = data; *c; c++) if (*c < ' ' || *c > '~') *c = '.';
    }
    printf("%s: ok fd=%ld type=%s mode=%04o owner=%u:%u size=%lld fl=0%o cloexec=%d fdinfo=0%o mnt=%s data=%s\n",
        step, fd, type_name(st.st_mode), st.st_mode & 07777, st.st_uid, st.st_gid, (long long)st.st_size,
        fl, cloexec, fdinfo_flags, mnt ? "yes" : "no", data);
    close((int)fd);
}

static long ret(long r) { return r < 0 ? -errno : r; }

static long int80(long nr, long a, long b, long c)
{
    long result;
    __asm__ volatile ("int $0x80" : "=a"(result) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory", "r8", "r9", "r10", "r11");
    return result; /* -errno on failure, as the kernel returns it */
}

static const char *low_copy(const char *s)
{
    snprintf(buffer32, sizeof buffer32, "%s", s);
    return buffer32;
}

static long open_dir(const char *dir)
{
    if (!strcmp(dir, "cwd")) return AT_FDCWD;
    if (!strcmp(dir, "fd99")) return 99;
    return open(dir, O_RDONLY | O_DIRECTORY);
}

static void *thread_self(void *unused)
{
    (void)unused;
    char line[256];
    FILE *f = fopen("/proc/thread-self/status", "r");
    if (!f) { printf("threadself: err %s\n", errname(errno)); return NULL; }
    long pid = -1;
    while (fgets(line, sizeof line, f)) sscanf(line, "Pid: %ld", &pid);
    fclose(f);
    printf("threadself: %s\n", pid == syscall(SYS_gettid) ? "caller's thread" : "another thread");
    return NULL;
}

static void proc_self(void)
{
    char line[256];
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) { printf("procself: err %s\n", errname(errno)); return; }
    long pid = -1;
    while (fgets(line, sizeof line, f)) sscanf(line, "Pid: %ld", &pid);
    fclose(f);
    printf("procself: %s\n", pid == getpid() ? "caller's process" : "another process");
}

static void mem_through(const char *path)
{
    int fd = open(path, O_RDWR);
    if (fd < 0) { printf("mem %s: err %s\n", path, errname(errno)); return; }
    long value = 0;
    ssize_t n = pread(fd, &value, sizeof value, (off_t)(unsigned long)&cookie);
    printf("mem %s: %s\n", path, n == (ssize_t)sizeof value && value == cookie ? "own memory" : n < 0 ? "unreadable" : "another process's memory");
    close(fd);
}

/* Opens PREFIX<N> for N = 0..max: each must be our own fd N (or fail), never another process's file. */
static void fd_scan(const char *prefix, const char *label, int max)
{
    int same = 0, other = 0, failed = 0;
    for (int n = 0; n <= max; n++) {
        char path[128];
        snprintf(path, sizeof path, "%s%d", prefix, n);
        struct stat own, opened;
        int have = fstat(n, &own) == 0;
        int fd = open(path, O_RDONLY | O_NONBLOCK);
        if (fd < 0) { failed++; if (have && errno != ENXIO && errno != EACCES) printf("fdscan %s: err %s for an open fd\n", path, errname(errno)); continue; }
        fstat(fd, &opened);
        if (have && own.st_dev == opened.st_dev && own.st_ino == opened.st_ino) same++;
        else { other++; printf("fdscan %s: not our fd %d\n", path, n); }
        close(fd);
    }
    printf("fdscan %s: same %d other %d failed %d\n", label, same, other, failed);
}

static void fifo(const char *path)
{
    pid_t child = fork();
    if (child == 0) {
        usleep(100000);
        int w = open(path, O_WRONLY);
        if (w >= 0 && write(w, "ping", 4) == 4) _exit(0);
        _exit(1);
    }
    int r = open(path, O_RDONLY);
    char got[8] = "";
    if (r < 0) printf("fifo: err %s\n", errname(errno));
    else {
        ssize_t n = read(r, got, 4);
        got[n > 0 ? n : 0] = 0;
        int fl = fcntl(r, F_GETFL);
        printf("fifo: read %s nonblock=%d\n", got, (fl & O_NONBLOCK) != 0);
        close(r);
    }
    int status;
    waitpid(child, &status, 0);
    printf("fifo writer: %s\n", WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "ok" : "failed");
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 1; i < argc; i++) {
        char step[4096];
        snprintf(step, sizeof step, "%s", argv[i]);
        char *field[8] = {0};
        int n = 0;
        for (char *p = step; n < 8 && p; n++) { field[n] = p; p = strchr(p, ':'); if (p) *p++ = 0; }
        const char *op = field[0];
        if (!strcmp(op, "cd")) { if (chdir(field[1])) printf("cd: err %s\n", errname(errno)); }
        else if (!strcmp(op, "chroot")) { if (chroot(field[1]) || chdir("/")) printf("chroot: err %s\n", errname(errno)); }
        else if (!strcmp(op, "umask")) umask((mode_t)strtol(field[1], NULL, 8));
        else if (!strcmp(op, "rlimit")) { struct rlimit r = { strtoul(field[1], NULL, 0), strtoul(field[1], NULL, 0) }; setrlimit(RLIMIT_NOFILE, &r); }
        else if (!strcmp(op, "mkfifo")) mkfifo(field[1], 0666);
        else if (!strcmp(op, "defacl")) {
            /* struct posix_acl_xattr: version 2, then {tag, perm, id}: USER_OBJ, GROUP_OBJ, OTHER, all rwx */
            unsigned char acl[4 + 3 * 8] = {2, 0, 0, 0};
            unsigned short tags[3] = {0x01, 0x04, 0x20};
            for (int t = 0; t < 3; t++) { acl[4 + 8 * t] = (unsigned char)tags[t]; acl[4 + 8 * t + 2] = 7; memset(acl + 8 + 8 * t, 0xff, 4); }
            if (syscall(SYS_setxattr, field[1], "system.posix_acl_default", acl, sizeof acl, 0)) printf("defacl: err %s\n", errname(errno));
        }
        else if (!strcmp(op, "open")) report(argv[i], ret(syscall(SYS_open, field[1], parse_flags(field[2]), field[3] ? strtol(field[3], NULL, 8) : 0)), 0);
        else if (!strcmp(op, "openat")) {
            long dir = open_dir(field[1]);
            report(argv[i], ret(syscall(SYS_openat, (int)dir, field[2], parse_flags(field[3]), field[4] ? strtol(field[4], NULL, 8) : 0)), 0);
            if (dir >= 0 && dir != 99) close((int)dir);
        }
        else if (!strcmp(op, "openat2")) {
            long dir = open_dir(field[1]);
            struct open_how how = { .flags = (unsigned)parse_flags(field[3]), .mode = strtoul(field[4], NULL, 8), .resolve = parse_resolve(field[5]) };
            report(argv[i], ret(syscall(SYS_openat2, (int)dir, field[2], &how, sizeof how)), 0);
            if (dir >= 0) close((int)dir);
        }
        else if (!strcmp(op, "creat")) report(argv[i], ret(syscall(SYS_creat, field[1], strtol(field[2], NULL, 8))), 0);
        else if (!strcmp(op, "open32")) report(argv[i], int80(5, (long)low_copy(field[1]), parse_flags(field[2]), field[3] ? strtol(field[3], NULL, 8) : 0), KERNEL_O_LARGEFILE);
        else if (!strcmp(op, "openat32")) report(argv[i], int80(295, AT_FDCWD, (long)low_copy(field[1]), parse_flags(field[2])), KERNEL_O_LARGEFILE);
        else if (!strcmp(op, "creat32")) report(argv[i], int80(8, (long)low_copy(field[1]), strtol(field[2], NULL, 8), 0), KERNEL_O_LARGEFILE);
        else if (!strcmp(op, "x32openat")) report(argv[i], ret(syscall(0x40000000 | SYS_openat, AT_FDCWD, low_copy(field[1]), parse_flags(field[2]))), 0);
        else if (!strcmp(op, "hold")) { if (open(field[1], O_RDONLY) < 0) printf("hold: err %s\n", errname(errno)); }
        else if (!strcmp(op, "efault")) report(argv[i], ret(syscall(SYS_open, (char *)8, O_RDONLY)), 0);
        else if (!strcmp(op, "longpath")) {
            static char path[8192];
            int length = atoi(field[1]);
            memset(path, 'a', (size_t)length);
            path[length] = 0;
            for (int c = 0; c < length; c += 200) path[c] = '/';
            report("longpath", ret(syscall(SYS_open, path, O_RDONLY)), 0);
        }
        else if (!strcmp(op, "procself")) proc_self();
        else if (!strcmp(op, "threadself")) { pthread_t t; pthread_create(&t, NULL, thread_self, NULL); pthread_join(t, NULL); }
        else if (!strcmp(op, "mem")) mem_through(field[1]);
        else if (!strcmp(op, "fdscan")) fd_scan(field[1], field[1], atoi(field[2]));
        else if (!strcmp(op, "reopen-opath")) {
            int o = open(field[1], O_PATH);
            if (o < 0) { printf("reopen-opath %s: err %s (O_PATH)\n", field[1], errname(errno)); continue; }
            char path[64];
            snprintf(path, sizeof path, "/proc/self/fd/%d", o);
            int fd = open(path, O_RDONLY);
            printf("reopen-opath %s: %s\n", field[1], fd >= 0 ? "opened" : errname(errno));
            if (fd >= 0) close(fd);
            close(o);
        }
        else if (!strcmp(op, "fifo")) fifo(field[1]);
        else if (!strcmp(op, "parent-open") || !strcmp(op, "parent-reopen") || !strcmp(op, "parent-dirfd") || !strcmp(op, "parent-fdscan")) {
            char path[128];
            snprintf(path, sizeof path, "/proc/%d/%s", (int)getppid(), !strcmp(op, "parent-fdscan") ? "fd/" : field[1]);
            if (!strcmp(op, "parent-open")) {
                int fd = open(path, O_RDONLY);
                printf("%s: %s\n", argv[i], fd >= 0 ? "opened" : errname(errno));
                if (fd >= 0) close(fd);
            } else if (!strcmp(op, "parent-reopen")) {
                int o = open(path, O_PATH);
                if (o < 0) { printf("%s: err %s (O_PATH)\n", argv[i], errname(errno)); continue; }
                char again[64];
                snprintf(again, sizeof again, "/proc/self/fd/%d", o);
                int fd = open(again, O_RDONLY);
                printf("%s: %s\n", argv[i], fd >= 0 ? "opened" : errname(errno));
                if (fd >= 0) close(fd);
                close(o);
            } else if (!strcmp(op, "parent-dirfd")) {
                char dir[64];
                snprintf(dir, sizeof dir, "/proc/%d", (int)getppid());
                int d = open(dir, O_PATH | O_DIRECTORY);
                if (d < 0) { printf("%s: err %s (O_PATH)\n", argv[i], errname(errno)); continue; }
                int fd = openat(d, field[1], O_RDONLY);
                printf("%s: %s\n", argv[i], fd >= 0 ? "opened" : errname(errno));
                if (fd >= 0) close(fd);
                close(d);
            } else {
                fd_scan(path, "/proc/PPID/fd/", atoi(field[1]));
            }
        }
        else { fprintf(stderr, "unknown step %s\n", op); return 2; }
    }
    return 0;
}
