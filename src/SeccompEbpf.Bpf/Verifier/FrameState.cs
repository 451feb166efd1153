namespace SeccompEbpf.Bpf.Verifier;

/// <summary>
/// One call frame: registers R0..R10 and the 512-byte stack (bytes plus the spilled registers of
/// 8-byte slots). <see cref="ReturnTo"/> is the instruction after the call that created the frame.
/// </summary>
public sealed class FrameState
{
    public const int StackSize = 512;
    public const int SlotCount = StackSize / 8;

    public RegisterState[] Regs { get; } = new RegisterState[11];
    public StackByte[] Stack { get; } = new StackByte[StackSize];
    public RegisterState?[] Spills { get; } = new RegisterState?[SlotCount];
    public int FrameNo { get; init; }
    public int SubprogStart { get; init; }
    public int ReturnTo { get; init; } = -1;

    public FrameState Clone()
    {
        var f = new FrameState { FrameNo = FrameNo, SubprogStart = SubprogStart, ReturnTo = ReturnTo };
        Array.Copy(Regs, f.Regs, Regs.Length);
        Array.Copy(Stack, f.Stack, Stack.Length);
        Array.Copy(Spills, f.Spills, Spills.Length);
        return f;
    }

    /// <summary>Index into <see cref="Stack"/> of the byte at frame offset <paramref name="off"/> (negative).</summary>
    public static int ByteIndex(int off) => StackSize + off;
    public static int SlotIndex(int off) => (StackSize + off) / 8;
}
