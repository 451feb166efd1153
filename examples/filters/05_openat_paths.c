/* Example 5: openat is allowed only for paths listed in a hash map; the path (args[1]) is read
 * from the caller's memory. Paths that do not fit the key are refused. */
#include "seccomp_filter.h"

char LICENSE[] SEC("license") = "GPL";

#define PATH_KEY_SIZE 64

struct path_key {
	char path[PATH_KEY_SIZE];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, struct path_key);
	__type(value, __u8);
} allowed_paths SEC(".maps");

SEC("seccomp")
int openat_paths(struct seccomp_data *ctx)
{
	struct path_key key;
	long len;

	if (ctx->nr != __NR_openat)
		return SECCOMP_RET_ALLOW;
	__builtin_memset(&key, 0, sizeof(key));
	len = bpf_probe_read_user_str(key.path, sizeof(key.path), (const void *)ctx->args[1]);
	if (len <= 0)
		return SECCOMP_RET_ERRNO | EACCES;
	if (bpf_map_lookup_elem(&allowed_paths, &key))
		return SECCOMP_RET_ALLOW;
	return SECCOMP_RET_ERRNO | EACCES;
}
