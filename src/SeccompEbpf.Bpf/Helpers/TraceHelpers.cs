using SeccompEbpf.Bpf.Maps;
using static SeccompEbpf.Bpf.Helpers.HelperArguments;

namespace SeccompEbpf.Bpf.Helpers;

/// <summary>trace_printk: formats into the run's <see cref="Engine.BpfTraceLog"/> (the user reads it with --trace or the API).</summary>
public static class TraceHelpers
{
    public static readonly HelperDefinition TracePrintk = new(
        new(HelperIds.TracePrintk, "trace_printk", HelperReturn.Integer,
            // As in the kernel only the format is declared; r3..r5 are read as they are (the verifier does not require them).
            HelperArg.PtrToMem, HelperArg.ConstSize),
        (ctx, format, size, a1, a2, a3) =>
        {
            if (!TryRead(ctx, format, size, "format (r1)", out var fmt)) return 0;
            ReadOnlySpan<ulong> args = [a1, a2, a3];
            var line = TraceFormatter.Format(ctx, fmt, args, out var error);
            if (line is null) return Errno(-LinuxErrno.EINVAL);
            ctx.TraceLog.Write(line.TrimEnd('\n'));
            return (ulong)System.Text.Encoding.UTF8.GetByteCount(line);
        });
}
