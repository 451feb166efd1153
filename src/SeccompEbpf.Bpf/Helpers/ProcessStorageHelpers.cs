using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Maps;
using static SeccompEbpf.Bpf.Helpers.HelperArguments;

namespace SeccompEbpf.Bpf.Helpers;

/// <summary>
/// task_storage_get / task_storage_delete over <see cref="ProcessStorageMap"/>. The task argument
/// must be NULL, meaning "the current process" (the seccomp proposal's rule: no kernel pointers);
/// the current process comes from the run's <see cref="IProcessEnvironment"/>.
/// </summary>
public static class ProcessStorageHelpers
{
    /// <summary>BPF_LOCAL_STORAGE_GET_F_CREATE.</summary>
    public const ulong CreateFlag = 1;

    public static readonly HelperDefinition Get = new(
        new(HelperIds.TaskStorageGet, "task_storage_get", HelperReturn.PtrToMapValueOrNull,
            HelperArg.ConstMapPtr, HelperArg.PtrToTaskOrNull, HelperArg.PtrToMapValueOrNull, HelperArg.Anything),
        (ctx, map, task, value, flags, _) =>
        {
            if (!TryMap(ctx, map, "map (r1)", out ProcessStorageMap storage)) return 0;
            if (task != 0 || (flags & ~CreateFlag) != 0 || !TryCurrentProcess(ctx, out ulong process)) return 0;
            ReadOnlySpan<byte> initial = default;
            if (value != 0 && !TryRead(ctx, value, storage.ValueSize, "initial value (r3)", out initial)) return 0;
            return storage.GetOrCreate(process, (flags & CreateFlag) != 0, initial);
        });

    public static readonly HelperDefinition Delete = new(
        new(HelperIds.TaskStorageDelete, "task_storage_delete", HelperReturn.Integer, HelperArg.ConstMapPtr, HelperArg.PtrToTaskOrNull),
        (ctx, map, task, _, _, _) =>
        {
            if (!TryMap(ctx, map, "map (r1)", out ProcessStorageMap storage)) return 0;
            if (task != 0) return Errno(-LinuxErrno.EINVAL);
            return TryCurrentProcess(ctx, out ulong process) ? Errno(storage.Remove(process)) : Errno(-LinuxErrno.EINVAL);
        });

    private static bool TryCurrentProcess(BpfRunContext ctx, out ulong process)
    {
        if (ctx.Environment is IProcessEnvironment environment)
        {
            process = environment.CurrentProcessKey;
            return true;
        }
        process = 0;
        return false;
    }
}
