using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Verifier;

/// <summary>
/// The static facts about a program, found before any path is explored: well-formed
/// instructions, jump targets inside their function and not inside an lddw, every instruction
/// reachable, no fall-through past a function's end, no loops unless allowed. Also the function
/// (subprogram) boundaries, the prune points and the registers live at each instruction.
/// </summary>
internal sealed class ProgramStructure
{
    public required int[] SubprogStarts { get; init; }
    /// <summary>Index into <see cref="SubprogStarts"/> of the function each instruction belongs to.</summary>
    public required int[] SubprogOf { get; init; }
    /// <summary>Jump targets and the instructions after conditional jumps: where states are compared.</summary>
    public required bool[] PrunePoint { get; init; }
    /// <summary>Bit r set: register r may be read before it is written, from this instruction on.</summary>
    public required ushort[] LiveIn { get; init; }
    /// <summary>Local calls: (caller function, callee function).</summary>
    public required List<(int Caller, int Callee)> CallEdges { get; init; }

    public static (ProgramStructure? Structure, VerificationError? Error) Analyze(IReadOnlyList<Instruction> prog, VerifierOptions options)
    {
        VerificationError Fail(int i, string rule, string msg) => new(i, rule, msg, InstructionText.Format(prog, i), "");
        int n = prog.Count;
        if (n == 0) return (null, Fail(-1, VerifierRule.EmptyProgram, "the program has no instructions"));
        if (n > options.MaxInstructions)
            return (null, Fail(-1, VerifierRule.TooManyInstructions,
                $"the program has {n} instructions; the limit for this loader is {options.MaxInstructions}"));

        var isSecondSlot = new bool[n];
        var subprogStarts = new SortedSet<int> { 0 };
        for (int i = 0; i < n; i++)
        {
            var insn = prog[i];
            if (isSecondSlot[i]) continue;
            if (insn.IsLoadImm64)
            {
                if (i + 1 >= n) return (null, Fail(i, VerifierRule.BadLoadImm64, "lddw needs two instruction slots but is the last instruction"));
                var hi = prog[i + 1];
                if (hi.Opcode != 0 || hi.Dst != 0 || hi.Src != 0 || hi.Offset != 0)
                    return (null, Fail(i, VerifierRule.BadLoadImm64, "the second slot of lddw must have opcode, registers and offset 0"));
            }
            if (InstructionRules.Check(insn, i + 1 < n ? prog[i + 1] : null, options.ProgramType.AllowsLegacyPacketLoads) is { } bad)
                return (null, Fail(i, bad.Rule, bad.Message));
            if (insn.IsLoadImm64)
            {
                isSecondSlot[i + 1] = true;
                if (insn.Src == LoadImmSource.Func)
                    return (null, Fail(i, VerifierRule.Unsupported, "function pointers (callbacks) are not supported"));
            }
            if (insn.IsLocalCall)
            {
                int target = i + insn.Imm + 1;
                if (target < 0 || target >= n)
                    return (null, Fail(i, VerifierRule.BadCallTarget, $"call target {target} is outside the program (0..{n - 1})"));
                subprogStarts.Add(target);
            }
        }

        var starts = subprogStarts.ToArray();
        var subprogOf = new int[n];
        for (int s = 0; s < starts.Length; s++)
        {
            int end = s + 1 < starts.Length ? starts[s + 1] : n;
            if (isSecondSlot[starts[s]])
                return (null, Fail(starts[s] - 1, VerifierRule.BadCallTarget, $"call target {starts[s]} is the second slot of an lddw"));
            for (int i = starts[s]; i < end; i++) subprogOf[i] = s;
            var last = prog[end - 1];
            bool endsOk = !isSecondSlot[end - 1] && (last.IsExit || last.Opcode is Opcodes.Ja or Opcodes.Ja32);
            if (!endsOk)
                return (null, Fail(end - 1, VerifierRule.FallThroughEnd,
                    s + 1 < starts.Length ? $"function at {starts[s]} runs into the next function at {end}: its last instruction must be exit or goto"
                                          : "the last instruction must be exit or goto: execution would run past the end of the program"));
        }

        var prune = new bool[n];
        prune[0] = true;
        var succ = new List<int>[n];
        for (int i = 0; i < n; i++)
        {
            succ[i] = new List<int>(2);
            if (isSecondSlot[i]) continue;
            var insn = prog[i];
            int next = i + (insn.IsLoadImm64 ? 2 : 1);
            if (insn.IsExit) continue;
            if (insn.IsJump && insn.JmpOp == JmpOp.Ja || insn.IsConditionalJump)
            {
                int off = insn.Class == OpClass.Jmp32 && insn.JmpOp == JmpOp.Ja ? insn.Imm : insn.Offset;
                int target = i + off + 1;
                if (target < 0 || target >= n)
                    return (null, Fail(i, VerifierRule.JumpOutOfRange, $"jump from {i} to {target} is outside the program (0..{n - 1})"));
                if (isSecondSlot[target])
                    return (null, Fail(i, VerifierRule.JumpIntoLoadImm64, $"jump from {i} to {target} lands in the second slot of the lddw at {target - 1}"));
                if (subprogOf[target] != subprogOf[i])
                    return (null, Fail(i, VerifierRule.JumpOutOfRange, $"jump from {i} to {target} leaves its function (functions start at {string.Join(", ", starts)})"));
                succ[i].Add(target);
                prune[target] = true;
                if (insn.IsConditionalJump) { succ[i].Add(next); prune[next] = true; }
                continue;
            }
            if (insn.IsLocalCall)
            {
                succ[i].Add(i + insn.Imm + 1);
                prune[i + insn.Imm + 1] = true;
                prune[next] = true;
            }
            if (next < n) succ[i].Add(next);
        }

        if (FindUnreachableOrBackEdge(n, succ, isSecondSlot, options.AllowLoops) is { } cfgError)
            return (null, Fail(cfgError.Insn, cfgError.Rule, cfgError.Message));

        var edges = new List<(int, int)>();
        for (int i = 0; i < n; i++)
            if (!isSecondSlot[i] && prog[i].IsLocalCall) edges.Add((subprogOf[i], Array.IndexOf(starts, i + prog[i].Imm + 1)));

        return (new ProgramStructure
        {
            SubprogStarts = starts, SubprogOf = subprogOf, PrunePoint = prune,
            LiveIn = Liveness.Compute(prog, isSecondSlot), CallEdges = edges,
        }, null);
    }

    /// <summary>Iterative depth-first search from instruction 0: unreachable instructions and, when loops are not allowed, back-edges.</summary>
    private static (int Insn, string Rule, string Message)? FindUnreachableOrBackEdge(int n, List<int>[] succ, bool[] secondSlot, bool allowLoops)
    {
        var color = new byte[n]; // 0 new, 1 on the DFS stack, 2 done
        var stack = new Stack<(int Node, int NextEdge)>();
        stack.Push((0, 0));
        color[0] = 1;
        while (stack.Count > 0)
        {
            var (node, edge) = stack.Pop();
            if (edge < succ[node].Count)
            {
                stack.Push((node, edge + 1));
                int t = succ[node][edge];
                if (color[t] == 1 && !allowLoops)
                    return (node, VerifierRule.BackEdge, $"back-edge from {node} to {t}: loops need a privileged (CAP_BPF) loader");
                if (color[t] == 0) { color[t] = 1; stack.Push((t, 0)); }
            }
            else color[node] = 2;
        }
        for (int i = 0; i < n; i++)
            if (!secondSlot[i] && color[i] == 0)
                return (i, VerifierRule.Unreachable, $"instruction {i} can never run (unreachable code is not allowed)");
        return null;
    }
}
