using SeccompEbpf.Model;

namespace SeccompEbpf.Linux.Supervisor;

/// <summary>One received seccomp notification: the kernel's id, the calling thread, and its seccomp_data.</summary>
public readonly record struct SyscallNotification(ulong Id, int Pid, uint Flags, SeccompData Data);
