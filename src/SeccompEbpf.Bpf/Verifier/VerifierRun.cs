using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Verifier;

/// <summary>
/// One verification: a depth-first walk over all paths. Each path is a <see cref="VerifierState"/>
/// stepped one instruction at a time; conditional jumps whose outcome is open fork the state. At
/// prune points the state is compared with states already proven safe there; when one of them
/// covers it, the path stops. A state equal to one still being explored on the same path is an
/// infinite loop.
/// </summary>
internal sealed partial class VerifierRun
{
    // Bounds on memory for stored states; past them states are not stored (only pruning is lost).
    private const int MaxStatesPerInstruction = 4096;
    private const int MaxStoredStates = 100_000;
    private const int MaxLogChars = 4 << 20;
    // As the kernel: a new state is stored only after some progress (jumps and instructions) since
    // the last one, and states that keep failing to prune are dropped from the comparisons.
    private const int MinJumpsBetweenStates = 2, MinInstructionsBetweenStates = 8;
    private const int MissesPerHit = 3;

    private readonly IReadOnlyList<Instruction> _prog;
    private readonly VerifierOptions _o;
    private readonly StringBuilder _log = new();
    private ProgramStructure _s = null!;
    private List<Checkpoint>?[] _explored = [];
    private readonly Stack<PendingPath> _pending = new();
    private int[] _stackDepth = [];
    private int _processed, _stored, _pruned, _nextId = 1;
    private int _jumps, _jumpsAtLastState, _processedAtLastState;

    private VerifierState _cur = null!;
    private int _pc;
    private Checkpoint? _owner;
    private AccessProofRecorder _proofs = null!;

    /// <summary>A state stored at a prune point; <see cref="Branches"/> counts paths from it still unfinished.</summary>
    private sealed class Checkpoint(VerifierState state, Checkpoint? parent)
    {
        public VerifierState State { get; } = state;
        public Checkpoint? Parent { get; } = parent;
        public int Branches { get; set; } = 1;
        public int Hits { get; set; }
        public int Misses { get; set; }
    }

    private readonly record struct PendingPath(VerifierState State, int Pc, Checkpoint? Owner, int From);

    private sealed class VerifierFailure(VerificationError error) : Exception(error.Message)
    {
        public VerificationError Error { get; } = error;
    }

    public VerifierRun(IReadOnlyList<Instruction> program, VerifierOptions options)
    {
        _prog = program;
        _o = options;
    }

    public VerificationResult Run()
    {
        var clock = Stopwatch.StartNew();
        var (structure, error) = ProgramStructure.Analyze(_prog, _o);
        if (structure is not null)
        {
            _s = structure;
            _explored = new List<Checkpoint>?[_prog.Count];
            _stackDepth = new int[_s.SubprogStarts.Length];
            _proofs = new AccessProofRecorder(_prog.Count);
            try
            {
                Explore();
                CheckCombinedStack();
            }
            catch (VerifierFailure f)
            {
                error = f.Error;
            }
        }
        clock.Stop();
        bool accepted = error is null;
        return new VerificationResult(error, _processed, _stored, _pruned,
            _stackDepth.Length > 0 ? _stackDepth.Max() : 0, clock.Elapsed, _log.ToString())
        {
            // A rejected program proves nothing: a path may have stopped before reaching an access.
            Accesses = accepted ? _proofs.Build(_prog) : AccessProofs.None,
            // Accepted means every path reached an exit within the budget (infinite loops are rejected).
            ProvedTermination = accepted,
        };
    }

    private void Explore()
    {
        var init = new VerifierState();
        var frame = new FrameState { FrameNo = 0, SubprogStart = 0 };
        Array.Fill(frame.Regs, RegisterState.NotInit);
        frame.Regs[1] = RegisterState.Pointer(RegisterType.PtrToCtx);
        frame.Regs[10] = RegisterState.Pointer(RegisterType.PtrToStack);
        init.Frames.Add(frame);
        _pending.Push(new PendingPath(init, 0, null, -1));
        while (_pending.TryPop(out var path))
        {
            _cur = path.State;
            _pc = path.Pc;
            _owner = path.Owner;
            if (path.From >= 0 && _o.LogLevel >= 1) Log(1, $"from {path.From} to {_pc}: {_cur.RegistersText()}");
            RunPath();
            EndPath();
        }
    }

    private void RunPath()
    {
        while (true)
        {
            if (++_processed > _o.MaxProcessedInstructions)
                Fail(VerifierRule.TooComplex, $"the program is too complex: more than {_o.MaxProcessedInstructions} instructions processed over all paths; simplify loops or bound them more tightly");
            if (_s.PrunePoint[_pc] && PruneOrCheckpoint()) { _pruned++; return; }
            if (_o.LogLevel >= 2) Log(2, $"{_pc}: {InstructionText.Format(_prog, _pc)} ; {_cur.RegistersText()}");
            if (!Step(_prog[_pc])) return;
        }
    }

    /// <summary>Executes one instruction on <see cref="_cur"/>; false when the path ends (program exit).</summary>
    private bool Step(Instruction insn)
    {
        switch (insn.Class)
        {
            case OpClass.Alu:
            case OpClass.Alu64:
                ExecAlu(insn);
                _pc++;
                return true;
            case OpClass.Ldx:
            case OpClass.St:
            case OpClass.Stx:
                ExecMemory(insn);
                _pc++;
                return true;
            case OpClass.Ld:
                if (insn.IsLoadImm64) { ExecLoadImm64(insn, _prog[_pc + 1]); _pc += 2; }
                else { ExecLegacyPacketLoad(insn); _pc++; }
                return true;
            default:
                _jumps++;
                if (insn.JmpOp == JmpOp.Ja)
                {
                    _pc += 1 + (insn.Class == OpClass.Jmp32 ? insn.Imm : insn.Offset);
                    return true;
                }
                if (insn.IsExit) return ExecExit();
                if (insn.IsHelperCall) { ExecHelperCall(insn); _pc++; return true; }
                if (insn.IsLocalCall) { ExecLocalCall(insn); return true; }
                ExecBranch(insn);
                return true;
        }
    }

    /// <summary>True when a stored, finished state covers the current one (the path can stop).</summary>
    private bool PruneOrCheckpoint()
    {
        var list = _explored[_pc] ??= new List<Checkpoint>();
        var live = _s.LiveIn[_pc];
        for (int i = 0; i < list.Count; i++)
        {
            var cp = list[i];
            if (cp.Branches == 0)
            {
                if (StateComparer.Covers(cp.State, _cur, exact: false))
                {
                    cp.Hits++;
                    if (_o.LogLevel >= 1) Log(1, $"{_pc}: safe (state covered by one already verified)");
                    return true;
                }
            }
            else if (StateComparer.Covers(cp.State, _cur, exact: true))
                Fail(VerifierRule.InfiniteLoop, $"infinite loop detected at instruction {_pc}: the state repeats without progress");
            // A state that rarely prunes costs a comparison on every visit: drop it (only pruning is lost).
            if (++cp.Misses > cp.Hits * MissesPerHit + MissesPerHit) { list.RemoveAt(i); i--; }
        }
        bool progressed = _jumps - _jumpsAtLastState >= MinJumpsBetweenStates
            && _processed - _processedAtLastState >= MinInstructionsBetweenStates;
        if (!progressed || list.Count >= MaxStatesPerInstruction || _stored >= MaxStoredStates) return false;
        _jumpsAtLastState = _jumps;
        _processedAtLastState = _processed;
        var stored = _cur.Clone();
        var regs = stored.Regs;
        for (int r = 0; r < 10; r++)
            if ((live & (1 << r)) == 0) regs[r] = RegisterState.NotInit;
        var checkpoint = new Checkpoint(stored, _owner);
        list.Add(checkpoint);
        _stored++;
        _owner = checkpoint;
        return false;
    }

    private void EndPath()
    {
        for (var c = _owner; c is not null; c = c.Parent)
            if (--c.Branches > 0) break;
    }

    /// <summary>Queues the other outcome of a branch; it is explored after the current path ends.</summary>
    private void Fork(VerifierState other, int target)
    {
        if (_owner is not null) _owner.Branches++;
        _pending.Push(new PendingPath(other, target, _owner, _pc));
    }

    private int NewId() => _nextId++;

    private void CheckCombinedStack()
    {
        // As the kernel when its JIT is on (the default on x86-64 and arm64): each frame rounded up to
        // 16 bytes, a function without stack counting 0 (the interpreter's rule rounds up to 32, min 32).
        int Round(int d) => (d + 15) / 16 * 16;
        int Deepest(int subprog, int depth)
        {
            int best = 0;
            if (depth < 8)
                foreach (var (caller, callee) in _s.CallEdges)
                    if (caller == subprog) best = Math.Max(best, Deepest(callee, depth + 1));
            return Round(_stackDepth[subprog]) + best;
        }
        int total = Deepest(0, 0);
        if (_s.SubprogStarts.Length > 1 && total > FrameState.StackSize)
            throw new VerifierFailure(new VerificationError(-1, VerifierRule.CombinedStack,
                $"the combined stack of the deepest call chain is {total} bytes (each frame rounded up to 16); the limit is {FrameState.StackSize}", "", ""));
    }

    private RegisterState Read(int r)
    {
        var reg = _cur.Regs[r];
        if (!reg.IsInit) Fail(VerifierRule.UninitRegister, $"R{r} is read before it is written on this path (!read_ok)");
        return reg;
    }

    private void Set(int r, RegisterState value)
    {
        if (r == 10) Fail(VerifierRule.FramePointerWrite, "R10 (the frame pointer) is read-only");
        _cur.Regs[r] = value;
    }

    [DoesNotReturn]
    private void Fail(string rule, string message) =>
        throw new VerifierFailure(new VerificationError(_pc, rule, message, InstructionText.Format(_prog, _pc), _cur?.RegistersText() ?? ""));

    private void Log(int level, string line)
    {
        if (_o.LogLevel < level || _log.Length > MaxLogChars) return;
        _log.AppendLine(line);
        if (_log.Length > MaxLogChars) _log.AppendLine("... log truncated");
    }
}
