/* Example 3: the action for each system call comes from an array map keyed by its number,
 * filled by user space before use. An empty entry (0) or an unknown number means ALLOW. */
#include "seccomp_filter.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 512);
	__type(key, __u32);
	__type(value, __u32);
} policy SEC(".maps");

SEC("seccomp")
int policy_lookup(struct seccomp_data *ctx)
{
	__u32 nr = (__u32)ctx->nr;
	__u32 *action = bpf_map_lookup_elem(&policy, &nr);

	if (!action || *action == 0)
		return SECCOMP_RET_ALLOW;
	return *action;
}
