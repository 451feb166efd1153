using SeccompEbpf.Model;

namespace SeccompEbpf.Policy;

public enum ActionKind
{
    /// <summary>SCMP_ACT_KILL: libseccomp's name for KILL_THREAD.</summary>
    Kill,
    KillProcess,
    KillThread,
    Trap,
    Errno,
    Trace,
    Allow,
    Log,
    Notify,
}

/// <summary>A profile action as written (SCMP_ACT_*); <see cref="ToSeccompAction"/> gives the kernel value.</summary>
public readonly record struct ProfileAction(ActionKind Kind)
{
    private static readonly Dictionary<string, ActionKind> ByName = new(StringComparer.Ordinal)
    {
        ["SCMP_ACT_KILL"] = ActionKind.Kill,
        ["SCMP_ACT_KILL_PROCESS"] = ActionKind.KillProcess,
        ["SCMP_ACT_KILL_THREAD"] = ActionKind.KillThread,
        ["SCMP_ACT_TRAP"] = ActionKind.Trap,
        ["SCMP_ACT_ERRNO"] = ActionKind.Errno,
        ["SCMP_ACT_TRACE"] = ActionKind.Trace,
        ["SCMP_ACT_ALLOW"] = ActionKind.Allow,
        ["SCMP_ACT_LOG"] = ActionKind.Log,
        ["SCMP_ACT_NOTIFY"] = ActionKind.Notify,
    };

    public static bool TryParse(string name, out ProfileAction action)
    {
        var ok = ByName.TryGetValue(name, out var kind);
        action = new ProfileAction(kind);
        return ok;
    }

    public static IEnumerable<string> Names => ByName.Keys;

    public string Name
    {
        get
        {
            var kind = Kind;
            return ByName.First(kv => kv.Value == kind).Key;
        }
    }

    /// <summary>True for actions that carry a return code (errnoRet): ERRNO and TRACE, as in runc.</summary>
    public bool TakesReturnCode => Kind is ActionKind.Errno or ActionKind.Trace;

    /// <summary>
    /// The kernel action. ERRNO and TRACE carry <paramref name="returnCode"/>; without one they use
    /// EPERM (1), as runc does.
    /// </summary>
    public SeccompAction ToSeccompAction(uint? returnCode)
    {
        const uint Eperm = 1;
        uint data = (returnCode ?? Eperm) & SeccompAction.DataMask;
        return new SeccompAction(Kind switch
        {
            ActionKind.Kill or ActionKind.KillThread => SeccompAction.KillThread,
            ActionKind.KillProcess => SeccompAction.KillProcess,
            ActionKind.Trap => SeccompAction.Trap,
            ActionKind.Errno => SeccompAction.Errno | data,
            ActionKind.Trace => SeccompAction.Trace | data,
            ActionKind.Allow => SeccompAction.Allow,
            ActionKind.Log => SeccompAction.Log,
            ActionKind.Notify => SeccompAction.UserNotif,
            _ => throw new ArgumentOutOfRangeException(nameof(Kind)),
        });
    }

    public override string ToString() => Name;
}
