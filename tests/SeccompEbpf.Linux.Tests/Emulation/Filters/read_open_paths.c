/* Test filter: reads the path (and openat2's struct open_how) of every open-family call of the
 * x86_64, x32 and i386 ABIs, then allows it, so that every open goes through the supervisor's
 * emulation whatever its path. -DSKIP_O_PATH: openat with O_PATH is allowed without reading
 * anything (the kernel then opens it for the caller itself). */
#include "seccomp_filter.h"

char LICENSE[] SEC("license") = "GPL";

#define AUDIT_ARCH_I386 0x40000003U
#define X32_SYSCALL_BIT 0x40000000
#define O_PATH 010000000

/* volatile: one load per use at a constant context offset (the verifier refuses a computed
 * context pointer), and only on the paths that use it (the split then notifies only these calls). */
#define ARG(i) (*(volatile __u64 *)&ctx->args[i])

struct open_how_copy {
	__u64 flags, mode, resolve;
};

static __attribute__((always_inline)) int read_path(const void *address)
{
	char path[256];

	bpf_probe_read_user_str(path, sizeof(path), address);
	return SECCOMP_RET_ALLOW;
}

static __attribute__((always_inline)) int read_how(const void *address)
{
	struct open_how_copy how;

	bpf_probe_read_user(&how, sizeof(how), address);
	return SECCOMP_RET_ALLOW;
}

SEC("seccomp")
int read_open_paths(struct seccomp_data *ctx)
{
	int nr = ctx->nr;

	if (ctx->arch == AUDIT_ARCH_X86_64) {
		nr &= ~X32_SYSCALL_BIT; /* x32 numbers are x86_64's plus the bit, for these four */
		if (nr == 2 || nr == 85)             /* open, creat */
			return read_path((const void *)ARG(0));
		if (nr == 257) {                     /* openat */
#ifdef SKIP_O_PATH
			if (ARG(2) & O_PATH)
				return SECCOMP_RET_ALLOW;
#endif
			return read_path((const void *)ARG(1));
		}
		if (nr == 437) {                     /* openat2 */
			read_path((const void *)ARG(1));
			return read_how((const void *)ARG(2));
		}
		return SECCOMP_RET_ALLOW;
	}
	if (ctx->arch == AUDIT_ARCH_I386) {
		if (nr == 5 || nr == 8)              /* open, creat */
			return read_path((const void *)ARG(0));
		if (nr == 295)                       /* openat */
			return read_path((const void *)ARG(1));
		if (nr == 437) {                     /* openat2 */
			read_path((const void *)ARG(1));
			return read_how((const void *)ARG(2));
		}
	}
	return SECCOMP_RET_ALLOW;
}
