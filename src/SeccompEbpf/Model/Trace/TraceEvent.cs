namespace SeccompEbpf.Model.Trace;

/// <summary>
/// One system call entry from a trace, as the filter sees it: the process, the call (name and,
/// when the trace has it, number) and its six raw arguments. <see cref="ExactArguments"/> is
/// false when some argument was printed symbolically (a string, flags, a struct) and reads as 0.
/// </summary>
public sealed record TraceCall(int Line, int Pid, string Name, int? Number, ulong[] Arguments, bool ExactArguments)
{
    /// <summary>The return value text once known ("0", "0x270b", "-1 ENOENT (...)", "?").</summary>
    public string? Result { get; internal set; }

    /// <summary>For clone/fork/vfork/clone3: the new task's id once the call returned.</summary>
    public int? ChildPid => IsCreation && Result is { } r && TraceNumbers.TryParse(r.Split(' ')[0], out ulong v) && v > 0 && v < int.MaxValue ? (int)v : null;

    public bool IsCreation => Name is "clone" or "clone3" or "fork" or "vfork";

    /// <summary>clone with CLONE_THREAD makes a thread of the same process; the rest make processes.</summary>
    public bool CreatesThread { get; init; }

    /// <summary>String arguments as printed (argument index → bytes with the terminating NUL); strace may have cut them short.</summary>
    public IReadOnlyDictionary<int, byte[]> Strings { get; init; } = new Dictionary<int, byte[]>();

    public bool IsExec => Name is "execve" or "execveat";
}

/// <summary>A task left the trace ("+++ exited with 0 +++" or "+++ killed by SIGKILL +++").</summary>
public sealed record TraceExit(int Line, int Pid, string Text);
