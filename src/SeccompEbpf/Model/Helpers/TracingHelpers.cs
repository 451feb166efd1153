using SeccompEbpf.Bpf.Helpers;
using static SeccompEbpf.Bpf.Helpers.HelperArguments;
using static SeccompEbpf.Bpf.LinuxErrno;

namespace SeccompEbpf.Model.Helpers;

/// <summary>
/// The tracing helpers a CAP_BPF+CAP_PERFMON loader is given, as far as user space can have them: there
/// is no kernel task and no kernel memory here, so they answer what the kernel answers for a missing
/// task or an unreadable kernel address (prototypes as in kernel/trace/bpf_trace.c and kernel/bpf/helpers.c).
/// </summary>
public static class TracingHelpers
{
    /// <summary>get_current_task(): a task_struct pointer in the kernel; 0 (no task) in user space.</summary>
    public static readonly HelperDefinition GetCurrentTask = new(
        new(HelperIds.GetCurrentTask, "get_current_task", HelperReturn.Integer),
        (_, _, _, _, _, _) => 0);

    /// <summary>get_current_comm(buf, size): the kernel's no-task answer, buf zeroed and -EINVAL.</summary>
    public static readonly HelperDefinition GetCurrentComm = new(
        new(HelperIds.GetCurrentComm, "get_current_comm", HelperReturn.Integer, HelperArg.PtrToUninitMem, HelperArg.ConstSize),
        (ctx, buffer, size, _, _, _) => Cleared(ctx, buffer, size, -EINVAL));

    /// <summary>probe_read_kernel(dst, size, unsafe_ptr): dst zeroed and -EFAULT, as for an address the kernel cannot read.</summary>
    public static readonly HelperDefinition ProbeReadKernel = new(
        new(HelperIds.ProbeReadKernel, "probe_read_kernel", HelperReturn.Integer, HelperArg.PtrToUninitMem, HelperArg.ConstSizeOrZero, HelperArg.Anything),
        (ctx, dst, size, _, _, _) => Cleared(ctx, dst, size, -EFAULT));

    /// <summary>probe_read_kernel_str(dst, size, unsafe_ptr): likewise.</summary>
    public static readonly HelperDefinition ProbeReadKernelStr = new(
        new(HelperIds.ProbeReadKernelStr, "probe_read_kernel_str", HelperReturn.Integer, HelperArg.PtrToUninitMem, HelperArg.ConstSizeOrZero, HelperArg.Anything),
        (ctx, dst, size, _, _, _) => Cleared(ctx, dst, size, -EFAULT));

    private static ulong Cleared(Bpf.Engine.BpfRunContext context, ulong address, ulong size, long negatedErrno)
    {
        if (!TryWrite(context, address, size, "destination (r1)", out var destination)) return 0;
        destination.Clear();
        return Errno(negatedErrno);
    }
}
