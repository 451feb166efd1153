using System.Buffers;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Helpers;
using static SeccompEbpf.Bpf.Helpers.HelperArguments;
using static SeccompEbpf.Bpf.LinuxErrno;

namespace SeccompEbpf.Model.Helpers;

/// <summary>
/// The proposal's seccomp helpers as the engines run them: ids from the initial user namespace,
/// pid/tgid in the loader's pid namespace, user-memory reads (the full version when the loader has
/// CAP_SYS_PTRACE, otherwise a variant that refuses with -EPERM when the filtered process is not
/// dumpable). Each comes with its prototype; which loader gets which is the catalog's
/// (<c>ProgramType.SeccompHelperCatalog</c>).
/// </summary>
public static class SeccompHelpers
{
    /// <summary>probe_read_user_str reads up to this many bytes into stack scratch space (a program's whole stack is 512).</summary>
    private const int StackScratchBytes = 512;

    // Shared by every variant, so a helper's prototype is one object whoever loads the program.
    private static readonly HelperPrototype PidTgidPrototype = new(HelperIds.GetCurrentPidTgid, "get_current_pid_tgid", HelperReturn.Integer);
    // The kernel's bpf_probe_read_user{,_str}_proto: (void *dst, u32 size, const void *unsafe_ptr), the pointer ARG_ANYTHING.
    private static readonly HelperPrototype ProbeReadUserPrototype =
        new(HelperIds.ProbeReadUser, "probe_read_user", HelperReturn.Integer, HelperArg.PtrToUninitMem, HelperArg.ConstSizeOrZero, HelperArg.Anything);
    private static readonly HelperPrototype ProbeReadUserStrPrototype =
        new(HelperIds.ProbeReadUserStr, "probe_read_user_str", HelperReturn.Integer, HelperArg.PtrToUninitMem, HelperArg.ConstSizeOrZero, HelperArg.Anything);

    /// <summary>(gid &lt;&lt; 32) | uid, as seen from the initial user namespace.</summary>
    public static readonly HelperDefinition GetCurrentUidGid = new(
        new(HelperIds.GetCurrentUidGid, "get_current_uid_gid", HelperReturn.Integer),
        (ctx, _, _, _, _, _) => Task(ctx) is { } task
            ? ((ulong)task.InitialNamespaceIds.Gid << 32) | task.InitialNamespaceIds.Uid
            : Errno(-EINVAL));

    /// <summary>(tgid &lt;&lt; 32) | pid in the loader's pid namespace; -ENOENT when the task is not visible there.</summary>
    public static HelperDefinition GetCurrentPidTgid(PidNamespaceId loaderNamespace) => new(
        PidTgidPrototype,
        (ctx, _, _, _, _, _) =>
        {
            if (Task(ctx) is not { } task) return Errno(-EINVAL);
            return task.IdsIn(loaderNamespace) is { } ids ? ((ulong)(uint)ids.Tgid << 32) | (uint)ids.Pid : Errno(-ENOENT);
        });

    /// <summary>probe_read_user(dst, size, unsafe_ptr): 0, or a negative errno with dst zeroed.</summary>
    public static HelperDefinition ProbeReadUser(bool requireDumpable) => new(
        ProbeReadUserPrototype,
        (ctx, dst, size, source, _, _) =>
        {
            if (!TryWrite(ctx, dst, size, "destination (r1)", out var destination)) return 0;
            if (Refusal(ctx, requireDumpable) is { } refused) { destination.Clear(); return Errno(refused); }
            int copied = Task(ctx)!.ReadMemory(source, destination);
            if (copied == destination.Length) return 0;
            destination.Clear();
            return Errno(copied < 0 ? copied : -EFAULT);
        });

    /// <summary>probe_read_user_str(dst, size, unsafe_ptr): the string length including its NUL, or a negative errno.</summary>
    public static HelperDefinition ProbeReadUserStr(bool requireDumpable) => new(
        ProbeReadUserStrPrototype,
        (ctx, dst, size, source, _, _) =>
        {
            if (!TryWrite(ctx, dst, size, "destination (r1)", out var destination)) return 0;
            if (destination.IsEmpty) return 0;
            if (Refusal(ctx, requireDumpable) is { } refused) { destination.Clear(); return Errno(refused); }
            // Like strncpy_from_user: bytes after the string's NUL are left as they were, so the read
            // goes to scratch space first (the stack for program-stack sizes, a pooled array beyond).
            int capacity = destination.Length - 1;
            byte[]? rented = capacity > StackScratchBytes ? ArrayPool<byte>.Shared.Rent(capacity) : null;
            Span<byte> buffer = rented is null ? stackalloc byte[StackScratchBytes] : rented;
            buffer = buffer[..capacity];
            try
            {
                int copied = Task(ctx)!.ReadMemory(source, buffer);
                if (copied < 0) { destination.Clear(); return Errno(copied); }
                int nul = buffer[..copied].IndexOf((byte)0);
                int length = nul >= 0 ? nul : copied;
                if (nul < 0 && copied < buffer.Length) { destination.Clear(); return Errno(-EFAULT); } // ran into unmapped memory
                buffer[..length].CopyTo(destination);
                destination[length] = 0;
                return (ulong)(length + 1);
            }
            finally
            {
                if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
            }
        });

    private static ISeccompTaskView? Task(BpfRunContext context) => context.Environment as ISeccompTaskView;

    // requireDumpable first: asking IsDumpable reads /proc for a loader that does not need the answer.
    private static long? Refusal(BpfRunContext context, bool requireDumpable) => Task(context) switch
    {
        null => -EINVAL,
        var task when requireDumpable && !task.IsDumpable => -EPERM,
        _ => null,
    };
}
