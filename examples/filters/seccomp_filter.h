/*
 * A small, self-contained header for eBPF seccomp filters (BPF_PROG_TYPE_SECCOMP).
 * It needs no libbpf or kernel headers, so the examples compile with any clang that targets
 * BPF (clang 14 and 19 at -mcpu=v1..v4). Map definitions follow libbpf's BTF-described `.maps`
 * convention, so objects built from this header also load with libbpf-style loaders.
 */
#ifndef SECCOMP_FILTER_H
#define SECCOMP_FILTER_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed int __s32;
typedef signed long long __s64;

/* Place a program or a variable in a named ELF section (libbpf: SEC("seccomp")). */
#define SEC(name) __attribute__((section(name), used))

/* BTF map-definition macros, read by the loader from the type of each `.maps` variable. */
#define __uint(name, val) int (*name)[val]
#define __type(name, val) __typeof__(val) *name

/* The context of a seccomp program: read-only, 64 bytes. */
struct seccomp_data {
	int nr;                     /* system call number */
	__u32 arch;                 /* AUDIT_ARCH_* */
	__u64 instruction_pointer;
	__u64 args[6];
};

#define AUDIT_ARCH_X86_64 0xc000003eU
#define AUDIT_ARCH_AARCH64 0xc00000b7U

/* Return values: action in the upper 16 bits, data (e.g. an errno) in the lower 16. */
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#define SECCOMP_RET_KILL_THREAD  0x00000000U
#define SECCOMP_RET_TRAP         0x00030000U
#define SECCOMP_RET_ERRNO        0x00050000U
#define SECCOMP_RET_USER_NOTIF   0x7fc00000U
#define SECCOMP_RET_TRACE        0x7ff00000U
#define SECCOMP_RET_LOG          0x7ffc0000U
#define SECCOMP_RET_ALLOW        0x7fff0000U
#define SECCOMP_RET_DATA         0x0000ffffU

#define EPERM  1
#define ENOENT 2
#define EACCES 13

/* x86_64 system call numbers used by the examples. */
#define __NR_close    3
#define __NR_getpid   39
#define __NR_execve   59
#define __NR_openat   257
#define __NR_execveat 322

/* enum bpf_map_type values and map flags. */
#define BPF_MAP_TYPE_HASH         1
#define BPF_MAP_TYPE_ARRAY        2
#define BPF_MAP_TYPE_TASK_STORAGE 29
#define BPF_F_NO_PREALLOC         (1U << 0)
#define BPF_F_RDONLY_PROG         (1U << 7)

#define BPF_ANY     0
#define BPF_NOEXIST 1
#define BPF_EXIST   2
#define BPF_LOCAL_STORAGE_GET_F_CREATE 1

/* Helpers, called by number as the kernel numbers them (enum bpf_func_id). */
static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
static long (*bpf_map_update_elem)(void *map, const void *key, const void *value, __u64 flags) = (void *)2;
static long (*bpf_map_delete_elem)(void *map, const void *key) = (void *)3;
static __u64 (*bpf_get_current_pid_tgid)(void) = (void *)14;
static __u64 (*bpf_get_current_uid_gid)(void) = (void *)15;
static long (*bpf_probe_read_user)(void *dst, __u32 size, const void *unsafe_ptr) = (void *)112;
static long (*bpf_probe_read_user_str)(void *dst, __u32 size, const void *unsafe_ptr) = (void *)114;
/* A NULL task means "the calling process" for seccomp programs (the proposal's rule). */
static void *(*bpf_task_storage_get)(void *map, void *task, void *value, __u64 flags) = (void *)156;
static long (*bpf_task_storage_delete)(void *map, void *task) = (void *)157;

#endif
