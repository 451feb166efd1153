using SeccompEbpf.Classic;
using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Policy.Compiler;

/// <summary>
/// Lays a filter DAG out as a cBPF instruction array. The order is a reverse post-order in which
/// a jump's false branch follows it where possible (so it falls through). Conditional jumps reach
/// at most 255 instructions ahead; a farther target gets a trampoline (an unconditional ja, whose
/// reach is 32 bits) placed right after the jump, or shares one already within reach. A far
/// return is copied instead of jumped to: the copy costs one instruction, a ja plus the return two.
/// </summary>
internal static class ClassicLayout
{
    private readonly record struct Slot(int Node, int JaTarget)
    {
        public bool IsTrampoline => Node < 0;
    }

    public static ClassicInstruction[] Emit(FilterGraph g, int root)
    {
        var slots = Order(g, root).Select(n => new Slot(n, -1)).ToList();
        // A load/and must be followed by its successor; otherwise add a ja to it.
        for (int i = 0; i < slots.Count; i++)
        {
            if (slots[i].IsTrampoline) continue;
            var n = g[slots[i].Node];
            if (n.Kind is not (FilterNodeKind.Load or FilterNodeKind.And)) continue;
            if (i + 1 >= slots.Count || slots[i + 1].Node != n.True)
                slots.Insert(i + 1, new Slot(-1, n.True));
        }
        while (FixFarJump(g, slots)) { }
        return Encode(g, slots);
    }

    private static List<int> Order(FilterGraph g, int root)
    {
        var visited = new HashSet<int>();
        var post = new List<int>();
        var stack = new Stack<(int Node, int Phase)>();
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (id, phase) = stack.Pop();
            if (phase == 0)
            {
                if (!visited.Add(id)) continue;
                stack.Push((id, 1));
                var n = g[id];
                // Pushed last = visited first; the false branch is visited last and so comes right after the jump.
                if (n.Kind == FilterNodeKind.Jump) { stack.Push((n.False, 0)); stack.Push((n.True, 0)); }
                else if (n.Kind != FilterNodeKind.Return) stack.Push((n.True, 0));
            }
            else post.Add(id);
        }
        post.Reverse();
        return post;
    }

    /// <summary>Finds one conditional jump that cannot reach its target and routes it through a trampoline.</summary>
    private static bool FixFarJump(FilterGraph g, List<Slot> slots)
    {
        var position = new Dictionary<int, int>();
        for (int i = 0; i < slots.Count; i++)
            if (!slots[i].IsTrampoline) position[slots[i].Node] = i;
        for (int i = 0; i < slots.Count; i++)
        {
            if (slots[i].IsTrampoline) continue;
            var n = g[slots[i].Node];
            if (n.Kind != FilterNodeKind.Jump) continue;
            foreach (var target in new[] { n.True, n.False })
            {
                if (position[target] - i - 1 <= byte.MaxValue) continue;
                int shared = -1;
                for (int j = i + 1; j <= i + 1 + byte.MaxValue && j < slots.Count; j++)
                    if (slots[j].IsTrampoline && slots[j].JaTarget == target) { shared = j; break; }
                if (shared >= 0) continue; // Encode finds it
                slots.Insert(i + 1, new Slot(-1, target));
                return true;
            }
        }
        return false;
    }

    private static ClassicInstruction[] Encode(FilterGraph g, List<Slot> slots)
    {
        var position = new Dictionary<int, int>();
        for (int i = 0; i < slots.Count; i++)
            if (!slots[i].IsTrampoline) position[slots[i].Node] = i;
        var program = new ClassicInstruction[slots.Count];
        for (int i = 0; i < slots.Count; i++)
        {
            var slot = slots[i];
            if (slot.IsTrampoline)
            {
                var target = g[slot.JaTarget];
                program[i] = target.Kind == FilterNodeKind.Return
                    ? ClassicInstruction.Stmt(RetK, target.K)
                    : ClassicInstruction.Stmt(Ja, (uint)(position[slot.JaTarget] - i - 1));
                continue;
            }
            var n = g[slot.Node];
            program[i] = n.Kind switch
            {
                FilterNodeKind.Return or FilterNodeKind.Load or FilterNodeKind.And => ClassicInstruction.Stmt(n.Code, n.K),
                _ => ClassicInstruction.Jump(n.Code, n.K, Offset(slots, position, i, n.True), Offset(slots, position, i, n.False)),
            };
        }
        return program;
    }

    private static byte Offset(List<Slot> slots, Dictionary<int, int> position, int from, int target)
    {
        int distance = position[target] - from - 1;
        if (distance <= byte.MaxValue) return (byte)distance;
        for (int j = from + 1; j <= from + 1 + byte.MaxValue; j++)
            if (slots[j].IsTrampoline && slots[j].JaTarget == target) return (byte)(j - from - 1);
        throw new InvalidOperationException($"instruction {from}: no trampoline within reach of its target (layout bug)");
    }
}
