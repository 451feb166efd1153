namespace SeccompEbpf.Model;

/// <summary>
/// A seccomp return value: upper 16 bits the action, lower 16 bits its data (SECCOMP_RET_*).
/// Precedence: the lowest signed value of (value &amp; ActionFullMask) wins.
/// </summary>
public readonly record struct SeccompAction(uint Value)
{
    public const uint KillProcess = 0x80000000;
    public const uint KillThread = 0x00000000;
    public const uint Trap = 0x00030000;
    public const uint Errno = 0x00050000;
    public const uint UserNotif = 0x7fc00000;
    public const uint Trace = 0x7ff00000;
    public const uint Log = 0x7ffc0000;
    public const uint Allow = 0x7fff0000;

    public const uint ActionFullMask = 0xffff0000;
    public const uint DataMask = 0x0000ffff;
    /// <summary>The kernel caps ERRNO data at MAX_ERRNO.</summary>
    public const int MaxErrno = 4095;

    public uint ActionBits => Value & ActionFullMask;
    public ushort Data => (ushort)(Value & DataMask);

    /// <summary>The action the kernel carries out: unknown actions behave as KILL_PROCESS.</summary>
    public uint EffectiveAction => ActionBits switch
    {
        KillProcess or KillThread or Trap or Errno or UserNotif or Trace or Log or Allow => ActionBits,
        _ => KillProcess,
    };

    /// <summary>The call goes ahead (ALLOW, LOG); anything else refuses it (a USER_NOTIF or TRACE with no one to answer fails with ENOSYS).</summary>
    public bool LetsCallRun => EffectiveAction is Allow or Log;

    /// <summary>Errno delivered for an ERRNO action: the data, capped at 4095.</summary>
    public int ErrnoValue => Math.Min((int)Data, MaxErrno);

    public static SeccompAction AllowAction => new(Allow);
    public static SeccompAction ErrnoAction(int errno) => new(Errno | ((uint)errno & DataMask));
    public static SeccompAction KillProcessAction => new(KillProcess);

    /// <summary>True when <paramref name="a"/> takes precedence over <paramref name="b"/> (strictly lower signed action).</summary>
    public static bool Precedes(SeccompAction a, SeccompAction b) => (int)a.ActionBits < (int)b.ActionBits;

    public static string ActionName(uint actionBits) => actionBits switch
    {
        KillProcess => "KILL_PROCESS",
        KillThread => "KILL_THREAD",
        Trap => "TRAP",
        Errno => "ERRNO",
        UserNotif => "USER_NOTIF",
        Trace => "TRACE",
        Log => "LOG",
        Allow => "ALLOW",
        _ => $"UNKNOWN(0x{actionBits:x8})",
    };

    /// <summary>"ERRNO(1)", "ALLOW"; an action the kernel does not know reads as what it does, "KILL_PROCESS (unknown action 0x...)".</summary>
    public override string ToString() => ActionBits switch
    {
        _ when EffectiveAction != ActionBits => $"{ActionName(EffectiveAction)} (unknown action 0x{Value:x8})",
        Errno => $"ERRNO({Data})",
        Trap or Trace => $"{ActionName(ActionBits)}({Data})",
        _ when Data != 0 => $"{ActionName(ActionBits)}(0x{Data:x})",
        _ => ActionName(ActionBits),
    };
}
