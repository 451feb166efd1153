/* The victim of the escape suite: a process of the sandboxed user started OUTSIDE the sandbox
 * (it stands for the user's shell). It keeps a secret in memory, prints
 *     VICTIM pid=N addr=0xADDR len=L
 * and waits until its standard input reaches end of file or it gets SIGTERM; then it prints
 *     VICTIM secret unchanged signals=N          or
 *     VICTIM secret CHANGED offsets=0,1 signals=N
 * where signals counts the SIGCONT it received (the attack's harmless signal). It gives up after 120 s. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SECRET "victim secret: 0123456789abcdef"

static volatile char secret[] = SECRET;
static volatile sig_atomic_t continued, terminated;

static void on_cont(int sig) { (void)sig; continued++; }
static void on_term(int sig) { (void)sig; terminated = 1; }

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_cont;
    sigaction(SIGCONT, &sa, NULL);
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL); /* no SA_RESTART: read() returns EINTR */
    alarm(120);
    printf("VICTIM pid=%d addr=%p len=%zu\n", (int)getpid(), (void *)secret, sizeof SECRET - 1);
    fflush(stdout);
    char buffer[256];
    while (!terminated) {
        ssize_t n = read(0, buffer, sizeof buffer);
        if (n == 0) break;
        if (n < 0 && errno != EINTR) break;
    }
    char changed[256] = "";
    for (size_t i = 0; i < sizeof SECRET - 1; i++)
        if (secret[i] != SECRET[i])
            snprintf(changed + strlen(changed), sizeof changed - strlen(changed), "%s%zu", changed[0] ? "," : "", i);
    if (changed[0]) printf("VICTIM secret CHANGED offsets=%s signals=%d\n", changed, (int)continued);
    else printf("VICTIM secret unchanged signals=%d\n", (int)continued);
    return 0;
}
