/* Attack program of the standing escape suite (tests/SeccompEbpf.Linux.Tests/Escape/README.md).
 * It runs as the sandboxed command of `seccomp-ebpf run` and tries to get out. Every probe prints
 * exactly one line:
 *     PROBE <name>: BLOCKED <errno name or reason>
 *     PROBE <name>: ESCAPED <what it managed>
 *     PROBE <name>: INCONCLUSIVE <why nothing could be tried>    (tty probes without a terminal)
 *     PROBE cache-rewrite: PLANTED <files>                         (the next sandbox is the verdict)
 * Attacks on the supervisor are harmless when they succeed: bytes written are the bytes read, the
 * only signals are 0 and SIGCONT, a seized process is detached at once.
 *
 *   escape_probe PROBE                       one supervisor probe (target: getppid())
 *   escape_probe supervisor                  every supervisor probe, each in its own child process
 *   escape_probe tty [TTY]                   the terminal probes (run it under `script`; TTY: the terminal's path)
 *   escape_probe victim PID ADDR             every victim-* probe against process PID, whose secret is at ADDR
 *   escape_probe victim-PROBE PID ADDR       one of them
 *   escape_probe cache-rewrite               forge the default-policy cache for the next sandbox
 *   escape_probe fds                         which descriptors the command inherited
 *   escape_probe status                      NoNewPrivs, Seccomp, capabilities of the command
 * Batches first print "TARGET pid=N cmdline=..." naming the process they attack.
 * The program never calls getpid (one test policy counts getpid calls). */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/filter.h>
#include <linux/kcmp.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif
#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif

/* ---------- output ---------- */

static void report(const char *probe, const char *verdict, const char *fmt, ...)
{
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    for (char *p = text; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    printf("PROBE %s: %s %s\n", probe, verdict, text);
    fflush(stdout);
}

static const char *en(int e)
{
    const char *name = strerrorname_np(e);
    static char buffer[32];
    if (name) return name;
    snprintf(buffer, sizeof buffer, "errno %d", e);
    return buffer;
}

/* A refusal by a filter (EPERM, EACCES, ENOSYS: the fail-closed answer) or by the kernel's access
 * checks, or a target that is not visible (ESRCH). Any other error means the call got past them. */
static int is_refusal(int e) { return e == EPERM || e == EACCES || e == ENOSYS || e == ESRCH; }

/* ---------- helpers ---------- */

static int self_pid(void)
{
    char link[32] = {0};
    if (readlink("/proc/self", link, sizeof link - 1) <= 0) return -1;
    return atoi(link);
}

static void read_cmdline(int pid, char *out, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
    out[0] = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) { snprintf(out, size, "(unreadable: %s)", en(errno)); return; }
    ssize_t n = read(fd, out, size - 1);
    close(fd);
    if (n < 0) n = 0;
    out[n] = 0;
    for (ssize_t i = 0; i < n; i++)
        if (out[i] == 0) out[i] = ' ';
}

struct target_maps {
    int readable;          /* /proc/PID/maps could be read */
    int maps_errno;
    uintptr_t ro_addr;     /* start of a readable file mapping at offset 0 (an ELF header) */
    char ro_path[512];
    uintptr_t rw_addr;     /* start of a private writable file mapping */
};

/* An address that is not mapped: the kernel answers EFAULT there only after its access checks passed. */
#define UNMAPPED_ADDRESS ((uintptr_t)0x10000)

static void read_maps(int pid, struct target_maps *m)
{
    char path[64], line[1024];
    memset(m, 0, sizeof *m);
    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    FILE *f = fopen(path, "re");
    if (!f) { m->maps_errno = errno; return; }
    while (fgets(line, sizeof line, f)) {
        m->readable = 1;
        unsigned long start, end, offset;
        char perms[8] = {0}, file[512] = {0};
        if (sscanf(line, "%lx-%lx %7s %lx %*s %*s %511s", &start, &end, perms, &offset, file) < 4) continue;
        if (file[0] != '/') continue;
        if (!m->ro_addr && perms[0] == 'r' && offset == 0) {
            m->ro_addr = start;
            snprintf(m->ro_path, sizeof m->ro_path, "%s", file);
        }
        if (!m->rw_addr && perms[0] == 'r' && perms[1] == 'w' && perms[3] == 'p') m->rw_addr = start;
    }
    if (!m->readable) m->maps_errno = errno ? errno : EACCES;
    fclose(f);
}

/* ---------- the probes ---------- */

struct target {
    const char *prefix;  /* "" or "victim-" */
    int pid;
    uintptr_t secret;    /* victim only: the address of its secret (0: the supervisor) */
};

static void name_of(char *out, size_t size, const struct target *t, const char *probe)
{
    snprintf(out, size, "%s%s", t->prefix, probe);
}

/* open("/proc/PID/mem", O_RDWR): escaped if it opens. Supervisor: the byte read is written back
 * (at an ELF header, which nothing changes); victim: '!' is written over the first byte of its secret. */
static void probe_mem_write(const struct target *t)
{
    char name[64], path[64];
    name_of(name, sizeof name, t, "mem-write");
    snprintf(path, sizeof path, "/proc/%d/mem", t->pid);
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) { report(name, "BLOCKED", "%s (open %s O_RDWR)", en(errno), path); return; }
    uintptr_t addr = t->secret;
    struct target_maps m = {0};
    if (!addr) {
        read_maps(t->pid, &m);
        addr = m.ro_addr;
    }
    if (!addr) { report(name, "ESCAPED", "opened %s read-write (no address to write: maps %s)", path, en(m.maps_errno)); close(fd); return; }
    unsigned char byte;
    if (pread(fd, &byte, 1, (off_t)addr) != 1) {
        report(name, "ESCAPED", "opened %s read-write (pread at 0x%" PRIxPTR ": %s)", path, addr, en(errno));
        close(fd);
        return;
    }
    unsigned char written = t->secret ? '!' : byte;
    ssize_t w = pwrite(fd, &written, 1, (off_t)addr);
    int e = errno;
    if (w == 1)
        report(name, "ESCAPED", "opened %s read-write and wrote 0x%02x at 0x%" PRIxPTR "%s", path, written, addr,
               t->secret ? " (the victim's secret)" : " (the byte that was there)");
    else
        report(name, "ESCAPED", "opened %s read-write and read 0x%02x at 0x%" PRIxPTR " (pwrite: %s)", path, byte, addr, en(e));
    close(fd);
}

static void probe_ptrace_seize(const struct target *t)
{
    char name[64];
    name_of(name, sizeof name, t, "ptrace-seize");
    if (ptrace(PTRACE_SEIZE, t->pid, 0, 0) != 0) { report(name, "BLOCKED", "%s (PTRACE_SEIZE %d)", en(errno), t->pid); return; }
    /* PTRACE_DETACH needs a stopped tracee; the probe process exits at once, which releases it. */
    report(name, "ESCAPED", "PTRACE_SEIZE %d succeeded: the probe became its tracer (released when the probe exits)", t->pid);
}

static void probe_vm_readv(const struct target *t)
{
    char name[64];
    name_of(name, sizeof name, t, "vm-readv");
    struct target_maps m = {0};
    uintptr_t addr = t->secret;
    if (!addr) { read_maps(t->pid, &m); addr = m.ro_addr ? m.ro_addr : UNMAPPED_ADDRESS; }
    unsigned char buffer[16];
    struct iovec local = {buffer, sizeof buffer}, remote = {(void *)addr, sizeof buffer};
    ssize_t n = process_vm_readv(t->pid, &local, 1, &remote, 1, 0);
    if (n > 0) report(name, "ESCAPED", "read %zd bytes at 0x%" PRIxPTR " (first 0x%02x)", n, addr, buffer[0]);
    else if (errno == EFAULT) report(name, "ESCAPED", "the access check passed (EFAULT at 0x%" PRIxPTR ")", addr);
    else report(name, is_refusal(errno) ? "BLOCKED" : "ESCAPED", "%s (process_vm_readv %d)", en(errno), t->pid);
}

/* Supervisor: read one byte of a writable mapping and write the same byte back; when it cannot be
 * read, write the first byte of the ELF header of a mapped file (known from the file on disk) to
 * where it is mapped (read-only: EFAULT proves the access check passed) or to an unmapped address.
 * Victim: writes '!' over the second byte of its secret. */
static void probe_vm_writev(const struct target *t)
{
    char name[64];
    name_of(name, sizeof name, t, "vm-writev");
    unsigned char byte = 0;
    uintptr_t addr = 0;
    const char *how = "";
    if (t->secret) {
        addr = t->secret + 1;
        byte = '!';
        how = " (the victim's secret)";
    } else {
        struct target_maps m;
        read_maps(t->pid, &m);
        struct iovec local = {&byte, 1}, remote = {(void *)m.rw_addr, 1};
        if (m.rw_addr && process_vm_readv(t->pid, &local, 1, &remote, 1, 0) == 1) {
            addr = m.rw_addr;
            how = " (the byte that was there)";
        } else if (m.ro_addr) {
            int fd = open(m.ro_path, O_RDONLY | O_CLOEXEC);
            if (fd >= 0 && read(fd, &byte, 1) == 1) { addr = m.ro_addr; how = " (the byte of the file mapped there)"; }
            if (fd >= 0) close(fd);
        }
        if (!addr) { addr = UNMAPPED_ADDRESS; how = " (unmapped address)"; }
    }
    struct iovec local = {&byte, 1}, remote = {(void *)addr, 1};
    ssize_t n = process_vm_writev(t->pid, &local, 1, &remote, 1, 0);
    if (n == 1) report(name, "ESCAPED", "wrote 0x%02x at 0x%" PRIxPTR "%s", byte, addr, how);
    else if (errno == EFAULT) report(name, "ESCAPED", "the access check passed (EFAULT at 0x%" PRIxPTR "%s)", addr, how);
    else report(name, is_refusal(errno) ? "BLOCKED" : "ESCAPED", "%s (process_vm_writev %d)", en(errno), t->pid);
}

static void probe_pidfd_getfd(const struct target *t)
{
    char name[64];
    name_of(name, sizeof name, t, "pidfd-getfd");
    int pidfd = (int)syscall(SYS_pidfd_open, t->pid, 0);
    if (pidfd < 0) { report(name, "BLOCKED", "%s (pidfd_open %d)", en(errno), t->pid); return; }
    char got[1536] = "", listener[64] = "";
    int obtained = 0, access_passed = 0, refusal = 0;
    for (int fd = 0; fd < 256; fd++) {
        int copy = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
        if (copy < 0) {
            if (errno == EBADF) access_passed = 1; /* the kernel looked the number up: the access check passed */
            else if (!refusal) refusal = errno;
            continue;
        }
        char link[64], what[256] = "?";
        snprintf(link, sizeof link, "/proc/self/fd/%d", copy);
        ssize_t n = readlink(link, what, sizeof what - 1);
        if (n >= 0) what[n] = 0;
        if (strcmp(what, "anon_inode:seccomp notify") == 0 && !listener[0]) snprintf(listener, sizeof listener, "%d", fd);
        if (obtained < 8 && strlen(got) < sizeof got - 300)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%d=%s", obtained ? ", " : "", fd, what);
        obtained++;
        close(copy);
    }
    close(pidfd);
    if (obtained && listener[0])
        report(name, "ESCAPED", "took %d descriptors of %d, ITS SECCOMP LISTENER (anon_inode:seccomp notify) AMONG THEM as fd %s (%s%s)",
               obtained, t->pid, listener, got, obtained > 8 ? ", ..." : "");
    else if (obtained)
        report(name, "ESCAPED", "took %d descriptors of %d, no seccomp listener among them (%s%s)", obtained, t->pid, got, obtained > 8 ? ", ..." : "");
    if (obtained) return;
    if (access_passed) report(name, "ESCAPED", "the access check passed (EBADF from pidfd_getfd on %d)", t->pid);
    else report(name, "BLOCKED", "%s (pidfd_getfd on %d)", en(refusal), t->pid);
}

static void probe_kcmp(const struct target *t)
{
    char name[64];
    name_of(name, sizeof name, t, "kcmp");
    long r = syscall(SYS_kcmp, self_pid(), t->pid, KCMP_FILE, 0, 0);
    if (r >= 0) report(name, "ESCAPED", "kcmp(self, %d, KCMP_FILE, 0, 0) = %ld", t->pid, r);
    else report(name, is_refusal(errno) ? "BLOCKED" : "ESCAPED", "%s (kcmp with %d)", en(errno), t->pid);
}

static void probe_signal(const struct target *t)
{
    char name[64], text[512] = "";
    name_of(name, sizeof name, t, "signal");
    int succeeded = 0;
    struct { const char *what; long r; int e; } tries[5];
    int n = 0;
#define TRY(label, call) do { errno = 0; long r_ = (call); tries[n].what = label; tries[n].r = r_; tries[n].e = errno; if (r_ == 0) succeeded++; n++; } while (0)
    TRY("kill 0", kill(t->pid, 0));
    TRY("kill SIGCONT", kill(t->pid, SIGCONT));
    TRY("tgkill 0", syscall(SYS_tgkill, t->pid, t->pid, 0));
    union sigval value = {.sival_int = 0};
    TRY("sigqueue SIGCONT", sigqueue(t->pid, SIGCONT, value));
    int pidfd = (int)syscall(SYS_pidfd_open, t->pid, 0);
    if (pidfd >= 0) {
        TRY("pidfd_send_signal 0", syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0));
        close(pidfd);
    }
#undef TRY
    for (int i = 0; i < n; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "%s%s=%s", i ? ", " : "", tries[i].what, tries[i].r == 0 ? "ok" : en(tries[i].e));
    report(name, succeeded ? "ESCAPED" : "BLOCKED", "%s (target %d)", text, t->pid);
}

/* A listener of our own, which the kernel refuses (EBUSY) only below a filter that has one. */
static long install_listener(unsigned long op, unsigned long flags)
{
    struct sock_filter allow[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    struct sock_fprog program = {.len = 1, .filter = allow};
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    return syscall(SYS_seccomp, op, flags, &program);
}

static void probe_nested_listener(void)
{
    long fd = install_listener(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER);
    if (fd >= 0) report("nested-listener", "ESCAPED", "got a seccomp listener (fd %ld) of a filter of its own", fd);
    else report("nested-listener", "BLOCKED", "%s", en(errno));
}

/* The same call with bits above 32 set in op and flags: the kernel truncates both to unsigned int,
 * a filter comparing all 64 bits would not recognise the call. */
static void probe_nested_listener_high_bits(void)
{
    long fd = install_listener(0x100000000UL | SECCOMP_SET_MODE_FILTER, 0x100000000UL | SECCOMP_FILTER_FLAG_NEW_LISTENER);
    if (fd >= 0) report("nested-listener-high-bits", "ESCAPED", "got a seccomp listener (fd %ld) with op 0x100000001, flags 0x100000008", fd);
    else report("nested-listener-high-bits", "BLOCKED", "%s", en(errno));
}

/* ---------- terminal probes ---------- */

/* The terminal the harness started us on (its path, from `tty` run outside the sandbox), if given. */
static const char *harness_terminal;

/* Candidate terminals: /dev/tty (the controlling terminal), the standard descriptors that are
 * terminals (without a controlling terminal, after setsid, fd 0-2 may still be the user's terminal),
 * and the harness's terminal opened by its path (the user owns it; a command whose descriptors were
 * all replaced could still open it). Returns how many were opened; *refused is set when the
 * harness's terminal exists but could not be opened (out of reach: that blocks the attack). */
static int terminals(int *fds, const char **names, char *why, size_t why_size, int *refused)
{
    int n = 0;
    *refused = 0;
    int tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (tty >= 0) { fds[n] = tty; names[n++] = "/dev/tty"; }
    else snprintf(why + strlen(why), why_size - strlen(why), "open /dev/tty: %s", en(errno));
    static const char *std[] = {"fd 0", "fd 1", "fd 2"};
    for (int fd = 0; fd <= 2; fd++)
        if (isatty(fd)) { fds[n] = fd; names[n++] = std[fd]; }
    if (n == 1 && tty >= 0) snprintf(why + strlen(why), why_size - strlen(why), "fds 0-2 are not terminals");
    if (n == 0) snprintf(why + strlen(why), why_size - strlen(why), "; fds 0-2 are not terminals");
    if (harness_terminal && harness_terminal[0] == '/') {
        int fd = open(harness_terminal, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (fd >= 0) { fds[n] = fd; names[n++] = harness_terminal; }
        else {
            *refused = is_refusal(errno);
            snprintf(why + strlen(why), why_size - strlen(why), "; open %s: %s", harness_terminal, en(errno));
        }
    }
    return n;
}

/* Pushes one byte into the terminal's input with TIOCSTI (cmd as a 64-bit value with the given
 * upper bits) and, when that worked, reads it back in raw mode so nothing is left for the shell. */
static void probe_tiocsti_with(const char *name, unsigned long high)
{
    int fds[5];
    const char *names[5];
    char why[512] = "";
    int refused;
    int n = terminals(fds, names, why, sizeof why, &refused);
    if (n == 0) { report(name, refused ? "BLOCKED" : "INCONCLUSIVE", "no terminal within reach: %s", why); return; }
    char text[1024] = "";
    int escaped = 0, conclusive = 0;
    for (int i = 0; i < n; i++) {
        int fd = fds[i];
        struct termios saved, raw;
        int have_termios = tcgetattr(fd, &saved) == 0;
        if (have_termios) {
            raw = saved;
            cfmakeraw(&raw);
            tcsetattr(fd, TCSANOW, &raw);
        }
        char c = '#';
        errno = 0;
        long r = syscall(SYS_ioctl, fd, high | (unsigned long)TIOCSTI, &c);
        int e = errno;
        char readback[64] = "";
        if (r == 0) {
            escaped = 1;
            struct pollfd p = {.fd = fd, .events = POLLIN};
            unsigned char got = 0;
            if (poll(&p, 1, 500) == 1 && read(fd, &got, 1) == 1)
                snprintf(readback, sizeof readback, ", read back 0x%02x%s", got, got == '#' ? " '#'" : "");
            else snprintf(readback, sizeof readback, ", not read back");
        }
        if (have_termios) { tcflush(fd, TCIFLUSH); tcsetattr(fd, TCSANOW, &saved); }
        if (r == 0 || (e != ENOTTY && e != ENXIO)) conclusive = 1;
        snprintf(text + strlen(text), sizeof text - strlen(text), "%s%s: %s%s", i ? "; " : "", names[i], r == 0 ? "INJECTED" : en(e), readback);
        if (fd > 2) close(fd);
    }
    if (escaped) report(name, "ESCAPED", "TIOCSTI (cmd 0x%lx) pushed input into the terminal: %s", high | (unsigned long)TIOCSTI, text);
    else if (!conclusive) report(name, "INCONCLUSIVE", "no usable terminal: %s", text);
    else report(name, "BLOCKED", "%s", text);
}

/* TIOCLINUX subcode 2 (set selection). On a pseudo-terminal the kernel has no TIOCLINUX and answers
 * ENOTTY, so that says nothing about the filter; the same call on fd -1 does: a filter that refuses
 * TIOCLINUX answers before the kernel looks at the descriptor, the kernel answers EBADF. */
static void probe_tioclinux(void)
{
    const char *name = "tioclinux";
    int fds[5];
    const char *names[5];
    char why[512] = "";
    int refused;
    int n = terminals(fds, names, why, sizeof why, &refused);
    unsigned char selection[16] = {2}; /* TIOCL_SETSEL, then xs ys xe ye sel_mode: zero */
    long r = -1;
    int e = 0;
    if (n > 0) {
        errno = 0;
        r = syscall(SYS_ioctl, fds[0], (unsigned long)TIOCLINUX, selection);
        e = errno;
    }
    for (int i = 0; i < n; i++)
        if (fds[i] > 2) close(fds[i]);
    if (n > 0 && r == 0) { report(name, "ESCAPED", "TIOCLINUX TIOCL_SETSEL on %s succeeded", names[0]); return; }
    if (n > 0 && e != ENOTTY && e != EINVAL) { report(name, is_refusal(e) ? "BLOCKED" : "ESCAPED", "%s (TIOCLINUX on %s)", en(e), names[0]); return; }
    errno = 0;
    long r2 = syscall(SYS_ioctl, -1, (unsigned long)TIOCLINUX, selection);
    int e2 = errno;
    char on[600];
    if (n > 0) snprintf(on, sizeof on, "%s on %s, a pseudo-terminal", en(e), names[0]);
    else snprintf(on, sizeof on, "no terminal within reach: %s", why);
    if (r2 != 0 && e2 == EBADF)
        report(name, "ESCAPED", "the filter lets TIOCLINUX through to the kernel (EBADF on fd -1; %s; on a virtual console it would set the selection)", on);
    else report(name, "BLOCKED", "%s on fd -1 (%s)", r2 == 0 ? "success?" : en(e2), on);
}

/* ---------- cache-rewrite ---------- */

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

static void put64(unsigned char *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i)); }
static void put32(unsigned char *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i)); }
static uint32_t get32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t get16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }

#define CACHE_MAGIC 0x3143445046424553ULL /* "SEBFPDC1" */

static unsigned char *slurp(const char *path, size_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0 || st.st_size > (64 << 20)) { close(fd); return NULL; }
    unsigned char *data = malloc((size_t)st.st_size);
    size_t done = 0;
    while (data && done < (size_t)st.st_size) {
        ssize_t n = read(fd, data + done, (size_t)st.st_size - done);
        if (n <= 0) break;
        done += (size_t)n;
    }
    close(fd);
    if (!data || done != (size_t)st.st_size) { free(data); return NULL; }
    *size = done;
    return data;
}

static int rva_to_offset(const unsigned char *pe, size_t size, uint32_t sections, uint16_t count, uint32_t rva, uint32_t *offset)
{
    for (uint16_t i = 0; i < count; i++) {
        const unsigned char *s = pe + sections + 40u * i;
        if ((size_t)(s - pe) + 40 > size) return 0;
        uint32_t va = get32(s + 12), raw_size = get32(s + 16), raw = get32(s + 20), vsize = get32(s + 8);
        uint32_t span = vsize > raw_size ? vsize : raw_size;
        if (rva >= va && rva < va + span) { *offset = raw + (rva - va); return *offset < size; }
    }
    return 0;
}

/* The module version id (MVID) of a .NET assembly: PE -> CLI header -> metadata -> #~ Module row -> #GUID. */
static int assembly_mvid(const char *path, unsigned char mvid[16])
{
    size_t size;
    unsigned char *pe = slurp(path, &size);
    int ok = 0;
    if (!pe || size < 0x40) goto done;
    uint32_t nt = get32(pe + 0x3c);
    if (nt + 24 > size || memcmp(pe + nt, "PE\0\0", 4) != 0) goto done;
    uint16_t sections_count = get16(pe + nt + 6), optional_size = get16(pe + nt + 20);
    uint32_t optional = nt + 24, sections = optional + optional_size;
    uint16_t magic = get16(pe + optional);
    uint32_t directories = optional + (magic == 0x20b ? 112 : 96);
    if (directories + 15 * 8 > size) goto done;
    uint32_t cli_rva = get32(pe + directories + 14 * 8), cli;
    if (!cli_rva || !rva_to_offset(pe, size, sections, sections_count, cli_rva, &cli) || cli + 16 > size) goto done;
    uint32_t metadata;
    if (!rva_to_offset(pe, size, sections, sections_count, get32(pe + cli + 8), &metadata) || metadata + 16 > size) goto done;
    if (get32(pe + metadata) != 0x424A5342) goto done; /* BSJB */
    uint32_t version_length = get32(pe + metadata + 12);
    uint32_t p = metadata + 16 + version_length;
    if (p + 4 > size) goto done;
    uint16_t streams = get16(pe + p + 2);
    p += 4;
    uint32_t tables = 0, guids = 0, guids_size = 0;
    for (uint16_t i = 0; i < streams && p + 8 < size; i++) {
        uint32_t offset = get32(pe + p), length = get32(pe + p + 4);
        const char *stream_name = (const char *)pe + p + 8;
        size_t name_length = strnlen(stream_name, size - p - 8);
        if (strcmp(stream_name, "#~") == 0) tables = metadata + offset;
        if (strcmp(stream_name, "#GUID") == 0) { guids = metadata + offset; guids_size = length; }
        p += 8 + (uint32_t)((name_length + 4) & ~3u);
    }
    if (!tables || !guids || tables + 24 > size) goto done;
    unsigned char heap_sizes = pe[tables + 6];
    uint64_t valid = 0;
    for (int i = 0; i < 8; i++) valid |= (uint64_t)pe[tables + 8 + i] << (8 * i);
    if (!(valid & 1)) goto done;
    uint32_t rows = tables + 24;
    for (int i = 0; i < 64; i++)
        if (valid & (1ULL << i)) rows += 4;
    /* Module row: Generation (2), Name (#Strings index), Mvid (#GUID index), ... */
    uint32_t string_index = (heap_sizes & 1) ? 4 : 2, guid_index = (heap_sizes & 2) ? 4 : 2;
    uint32_t at = rows + 2 + string_index;
    if (at + guid_index > size) goto done;
    uint32_t index = guid_index == 4 ? get32(pe + at) : get16(pe + at);
    if (index == 0 || 16 * index > guids_size || guids + 16 * index > size) goto done;
    memcpy(mvid, pe + guids + 16 * (index - 1), 16);
    ok = 1;
done:
    free(pe);
    return ok;
}

/* The build key as DefaultPolicyCache computes it, from the assemblies next to the supervisor's CLI. */
static int computed_key(unsigned char key[16], char *from, size_t from_size)
{
    char cmdline[4096];
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/cmdline", getppid());
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, cmdline, sizeof cmdline - 1);
    close(fd);
    if (n <= 0) return 0;
    cmdline[n] = 0;
    char directory[4096] = "";
    for (char *arg = cmdline; arg < cmdline + n; arg += strlen(arg) + 1) {
        const char *base = strrchr(arg, '/');
        if (base && (strcmp(base, "/seccomp-ebpf.dll") == 0 || strcmp(base, "/seccomp-ebpf") == 0)) {
            snprintf(directory, sizeof directory, "%.*s", (int)(base - arg), arg);
            break;
        }
    }
    if (!directory[0]) return 0;
    static const char *assemblies[] = {"SeccompEbpf.Linux.dll", "SeccompEbpf.dll", "SeccompEbpf.Bpf.dll"};
    unsigned char ids[48];
    for (int i = 0; i < 3; i++) {
        char file[4200];
        snprintf(file, sizeof file, "%s/%s", directory, assemblies[i]);
        if (!assembly_mvid(file, ids + 16 * i)) return 0;
    }
    put64(key, fnv1a(ids, 48));
    put64(key + 8, fnv1a(ids + 16, 32) ^ 1 /* Architecture.X64 */);
    snprintf(from, from_size, "computed from the module ids in %s", directory);
    return 1;
}

static int existing_key(const char *path, unsigned char key[16])
{
    size_t size;
    unsigned char *data = slurp(path, &size);
    int ok = data && size >= 40;
    if (ok) {
        uint64_t magic = 0;
        for (int i = 0; i < 8; i++) magic |= (uint64_t)data[i] << (8 * i);
        ok = magic == CACHE_MAGIC;
        if (ok) memcpy(key, data + 8, 16);
    }
    free(data);
    return ok;
}

static int make_directories(const char *file)
{
    char path[1100];
    snprintf(path, sizeof path, "%s", file);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(path, 0700) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return 0;
}

/* A one-instruction filter, `ret ALLOW`, in the cache format of Seccomp/DefaultPolicyCache.cs:
 * magic, build key, instruction count, description length, instructions, description, FNV-1a. */
static int forge(const char *path, const unsigned char key[16], char *error, size_t error_size)
{
    static const char description[] = "built-in default policy";
    unsigned char file[8 + 16 + 4 + 4 + 8 + sizeof description - 1 + 8];
    size_t d = sizeof description - 1;
    put64(file, CACHE_MAGIC);
    memcpy(file + 8, key, 16);
    put32(file + 24, 1);
    put32(file + 28, (uint32_t)d);
    unsigned char ret_allow[8] = {0x06, 0x00, 0, 0, 0x00, 0x00, 0xff, 0x7f}; /* BPF_RET|BPF_K, k = SECCOMP_RET_ALLOW */
    memcpy(file + 32, ret_allow, 8);
    memcpy(file + 40, description, d);
    put64(file + 40 + d, fnv1a(file, 40 + d));
    if (make_directories(path) != 0) { snprintf(error, error_size, "mkdir: %s", en(errno)); return 0; }
    char temporary[1100];
    snprintf(temporary, sizeof temporary, "%s.forged", path);
    int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) { snprintf(error, error_size, "open: %s", en(errno)); return 0; }
    int ok = write(fd, file, sizeof file) == (ssize_t)sizeof file;
    int e = errno;
    fchmod(fd, 0600);
    close(fd);
    if (!ok) { snprintf(error, error_size, "write: %s", en(e)); unlink(temporary); return 0; }
    if (rename(temporary, path) != 0) { snprintf(error, error_size, "rename: %s", en(errno)); unlink(temporary); return 0; }
    return 1;
}

static void probe_cache_rewrite(void)
{
    char paths[2][1024];
    int count = 0;
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && xdg[0] == '/') snprintf(paths[count++], sizeof paths[0], "%s/seccomp-ebpf/default-policy-x64.cbpf", xdg);
    if (home && home[0] == '/') snprintf(paths[count++], sizeof paths[0], "%s/.cache/seccomp-ebpf/default-policy-x64.cbpf", home);
    if (count == 0) { report("cache-rewrite", "BLOCKED", "neither HOME nor XDG_CACHE_HOME is set"); return; }
    unsigned char key[16];
    char from[4400] = "";
    int have_key = 0;
    for (int i = 0; i < count && !have_key; i++)
        if (existing_key(paths[i], key)) { have_key = 1; snprintf(from, sizeof from, "copied from %s", paths[i]); }
    if (!have_key) have_key = computed_key(key, from, sizeof from);
    if (!have_key) memset(key, 0, sizeof key), snprintf(from, sizeof from, "unknown (zeros)");
    char planted[2200] = "", failed[2400] = "";
    for (int i = 0; i < count; i++) {
        char error[128];
        if (forge(paths[i], key, error, sizeof error))
            snprintf(planted + strlen(planted), sizeof planted - strlen(planted), "%s%s", planted[0] ? ", " : "", paths[i]);
        else
            snprintf(failed + strlen(failed), sizeof failed - strlen(failed), "%s%s: %s", failed[0] ? ", " : "", paths[i], error);
    }
    if (planted[0]) report("cache-rewrite", "PLANTED", "a `ret ALLOW` cache in %s (key %s)%s%s", planted, from, failed[0] ? "; failed: " : "", failed);
    else report("cache-rewrite", "BLOCKED", "%s", failed);
}

/* ---------- audits of what the command was given ---------- */

static void probe_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d) { report("fds", "BLOCKED", "cannot list /proc/self/fd: %s", en(errno)); return; }
    int self = dirfd(d);
    char list[1024] = "", extra[3072] = "";
    struct dirent *e;
    int numbers[1024], n = 0;
    while ((e = readdir(d)) && n < 1024) {
        if (!isdigit((unsigned char)e->d_name[0])) continue;
        int fd = atoi(e->d_name);
        if (fd != self) numbers[n++] = fd;
    }
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (numbers[j] < numbers[i]) { int t = numbers[i]; numbers[i] = numbers[j]; numbers[j] = t; }
    for (int i = 0; i < n; i++) {
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%d", i ? " " : "", numbers[i]);
        if (numbers[i] <= 2) continue;
        char link[64], what[256] = "?";
        snprintf(link, sizeof link, "/proc/self/fd/%d", numbers[i]);
        ssize_t k = readlink(link, what, sizeof what - 1);
        if (k >= 0) what[k] = 0;
        if (strlen(extra) < sizeof extra - 300)
            snprintf(extra + strlen(extra), sizeof extra - strlen(extra), "%s%d=%s", extra[0] ? ", " : "", numbers[i], what);
    }
    closedir(d);
    printf("FDS %s\n", list);
    if (extra[0]) report("fds", "ESCAPED", "descriptors beyond 0-2 reached the command: %s", extra);
    else report("fds", "BLOCKED", "only %s are open", list);
}

static void probe_status(void)
{
    FILE *f = fopen("/proc/self/status", "re");
    if (!f) { report("status", "ESCAPED", "cannot read /proc/self/status: %s", en(errno)); return; }
    char line[512], summary[1024] = "", problems[1024] = "";
    long nnp = -1, mode = -1, filters = -1;
    unsigned long long caps[5] = {0};
    static const char *cap_names[] = {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"};
    while (fgets(line, sizeof line, f)) {
        sscanf(line, "NoNewPrivs: %ld", &nnp);
        sscanf(line, "Seccomp: %ld", &mode);
        sscanf(line, "Seccomp_filters: %ld", &filters);
        for (int i = 0; i < 5; i++) {
            char prefix[16];
            snprintf(prefix, sizeof prefix, "%s:", cap_names[i]);
            if (strncmp(line, prefix, strlen(prefix)) == 0) caps[i] = strtoull(line + strlen(prefix), NULL, 16);
        }
    }
    fclose(f);
    snprintf(summary, sizeof summary, "NoNewPrivs=%ld Seccomp=%ld Seccomp_filters=%ld CapInh=%016llx CapPrm=%016llx CapEff=%016llx CapBnd=%016llx CapAmb=%016llx euid=%u",
             nnp, mode, filters, caps[0], caps[1], caps[2], caps[3], caps[4], geteuid());
    printf("STATUS %s\n", summary);
    const unsigned long long ptrace_bit = 1ULL << 19; /* CAP_SYS_PTRACE */
    if (nnp != 1) snprintf(problems + strlen(problems), sizeof problems - strlen(problems), " NoNewPrivs=%ld", nnp);
    if (mode != 2) snprintf(problems + strlen(problems), sizeof problems - strlen(problems), " Seccomp=%ld", mode);
    if (filters < 1) snprintf(problems + strlen(problems), sizeof problems - strlen(problems), " Seccomp_filters=%ld", filters);
    for (int i = 0; i < 5; i++) {
        if (i == 3 && geteuid() != 0) continue; /* an ordinary user's bounding set is inert under no_new_privs */
        if (caps[i] & ptrace_bit) snprintf(problems + strlen(problems), sizeof problems - strlen(problems), " %s has CAP_SYS_PTRACE", cap_names[i]);
    }
    if (problems[0]) report("status", "ESCAPED", "%s (%s)", problems + 1, summary);
    else report("status", "BLOCKED", "%s", summary);
}

/* ---------- batches ---------- */

/* Runs one probe in a child process, so a probe the policy kills (or one that crashes) cannot take
 * the others with it; a probe killed by a signal was stopped, which counts as blocked. */
static void isolated(const char *name, void (*probe)(const struct target *), const struct target *t)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        alarm(20);
        probe(t);
        fflush(stdout);
        _exit(0);
    }
    if (child < 0) { report(name, "BLOCKED", "fork: %s (probe not run)", en(errno)); return; }
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) { }
    if (WIFSIGNALED(status)) report(name, "BLOCKED", "the probe process was killed by signal %d", WTERMSIG(status));
}

static void nested_listener(const struct target *t) { (void)t; probe_nested_listener(); }
static void nested_listener_high_bits(const struct target *t) { (void)t; probe_nested_listener_high_bits(); }
static void tiocsti(const struct target *t) { (void)t; probe_tiocsti_with("tiocsti", 0); }
static void tiocsti_high_bits(const struct target *t) { (void)t; probe_tiocsti_with("tiocsti-high-bits", 0x100000000UL); }
static void tioclinux(const struct target *t) { (void)t; probe_tioclinux(); }

struct probe { const char *name; void (*run)(const struct target *); };

static const struct probe supervisor_probes[] = {
    {"mem-write", probe_mem_write},     {"ptrace-seize", probe_ptrace_seize},
    {"vm-readv", probe_vm_readv},       {"vm-writev", probe_vm_writev},
    {"pidfd-getfd", probe_pidfd_getfd}, {"kcmp", probe_kcmp},
    {"signal", probe_signal},           {"nested-listener", nested_listener},
    {"nested-listener-high-bits", nested_listener_high_bits},
};
static const struct probe tty_probes[] = {
    {"tiocsti", tiocsti}, {"tiocsti-high-bits", tiocsti_high_bits}, {"tioclinux", tioclinux},
};
static const struct probe victim_probes[] = {
    {"mem-write", probe_mem_write},     {"ptrace-seize", probe_ptrace_seize},
    {"vm-writev", probe_vm_writev},     {"pidfd-getfd", probe_pidfd_getfd},
    {"signal", probe_signal},
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void print_target(int pid)
{
    char cmdline[1024];
    read_cmdline(pid, cmdline, sizeof cmdline);
    printf("TARGET pid=%d cmdline=%s\n", pid, cmdline);
}

static int run_list(const struct probe *list, size_t count, const struct target *t, const char *only)
{
    int ran = 0;
    for (size_t i = 0; i < count; i++) {
        if (only && strcmp(only, list[i].name) != 0) continue;
        char name[64];
        snprintf(name, sizeof name, "%s%s", t->prefix, list[i].name);
        isolated(name, list[i].run, t);
        ran++;
    }
    return ran;
}

static int usage(void)
{
    fprintf(stderr, "usage: escape_probe supervisor|tty|PROBE | victim[-PROBE] PID ADDR | cache-rewrite | fds | status\n");
    return 2;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2) return usage();
    const char *mode = argv[1];
    struct target supervisor = {"", getppid(), 0};
    if (strcmp(mode, "cache-rewrite") == 0) { probe_cache_rewrite(); return 0; }
    if (strcmp(mode, "fds") == 0) { probe_fds(); return 0; }
    if (strcmp(mode, "status") == 0) { probe_status(); return 0; }
    if (strcmp(mode, "supervisor") == 0 && supervisor.pid == 0) {
        /* The parent is outside our pid namespace: no pid names it. kill(0, ...) would hit our own group. */
        printf("TARGET pid=0 cmdline=(not visible: getppid() = 0)\n");
        for (size_t i = 0; i < COUNT(supervisor_probes); i++)
            report(supervisor_probes[i].name, "BLOCKED", "the supervisor is not visible from the command's pid namespace (getppid() = 0)");
        return 0;
    }
    if (strcmp(mode, "supervisor") == 0) { print_target(supervisor.pid); run_list(supervisor_probes, COUNT(supervisor_probes), &supervisor, NULL); return 0; }
    if (strcmp(mode, "tty") == 0) {
        harness_terminal = argc > 2 ? argv[2] : NULL;
        print_target(supervisor.pid);
        run_list(tty_probes, COUNT(tty_probes), &supervisor, NULL);
        return 0;
    }
    if (strncmp(mode, "victim", 6) == 0) {
        if (argc < 4) return usage();
        struct target victim = {"victim-", atoi(argv[2]), (uintptr_t)strtoull(argv[3], NULL, 0)};
        if (victim.pid <= 0 || !victim.secret) return usage();
        print_target(victim.pid);
        const char *only = mode[6] == '-' ? mode + 7 : NULL;
        return run_list(victim_probes, COUNT(victim_probes), &victim, only) ? 0 : usage();
    }
    if (supervisor.pid == 0) { report(mode, "BLOCKED", "the supervisor is not visible (getppid() = 0)"); return 0; }
    if (run_list(supervisor_probes, COUNT(supervisor_probes), &supervisor, mode)) return 0;
    if (run_list(tty_probes, COUNT(tty_probes), &supervisor, mode)) return 0;
    return usage();
}
