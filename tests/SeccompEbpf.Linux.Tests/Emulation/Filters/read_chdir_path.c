/* Test filter: reads chdir's path and allows every call. A memory-dependent ALLOW of a call the
 * supervisor cannot carry out itself. */
#include "seccomp_filter.h"

char LICENSE[] SEC("license") = "GPL";

#define __NR_chdir 80

SEC("seccomp")
int read_chdir_path(struct seccomp_data *ctx)
{
	char path[64];

	if (ctx->nr != __NR_chdir)
		return SECCOMP_RET_ALLOW;
	bpf_probe_read_user_str(path, sizeof(path), (const void *)ctx->args[0]);
	return SECCOMP_RET_ALLOW;
}
