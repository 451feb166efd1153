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
    /// <summary>
    /// The lowest slot ever written on this path; slots below it are all unwritten, so copies and
    /// comparisons skip them (most programs use a few slots of the 64).
    /// </summary>
    public int FirstUsedSlot { get; private set; } = SlotCount;

    /// <summary>Must be called before a write to <paramref name="slot"/>.</summary>
    public void MarkUsed(int slot)
    {
        if (slot < FirstUsedSlot) FirstUsedSlot = slot;
    }

    public FrameState Clone()
    {
        var f = new FrameState { FrameNo = FrameNo, SubprogStart = SubprogStart, ReturnTo = ReturnTo, FirstUsedSlot = FirstUsedSlot };
        Array.Copy(Regs, f.Regs, Regs.Length);
        int first = FirstUsedSlot;
        Array.Copy(Stack, first * 8, f.Stack, first * 8, StackSize - first * 8);
        Array.Copy(Spills, first, f.Spills, first, SlotCount - first);
        return f;
    }

    /// <summary>Index into <see cref="Stack"/> of the byte at frame offset <paramref name="off"/> (negative).</summary>
    public static int ByteIndex(int off) => StackSize + off;
    public static int SlotIndex(int off) => (StackSize + off) / 8;
}
