namespace SeccompEbpf.Policy.Compiler;

/// <summary>
/// Removes loads of a seccomp_data word that A already holds on every path into them (e.g. the
/// second rule of a syscall testing the same argument as the first), then rebuilds the graph so
/// that code which became equal is shared again.
/// </summary>
internal static class RedundantLoads
{
    private const long Unknown = -1, Unreached = -2;

    public static (FilterGraph Graph, int Root) Remove(FilterGraph g, int root)
    {
        var nodes = g.Nodes;
        // Word held in A on entry to each node (-1 unknown / differs between paths); children have smaller ids.
        var entry = new long[nodes.Count];
        Array.Fill(entry, Unreached);
        entry[root] = Unknown;
        for (int id = root; id >= 0; id--)
        {
            if (entry[id] == Unreached) continue;
            var n = nodes[id];
            switch (n.Kind)
            {
                case FilterNodeKind.Load: Meet(entry, n.True, n.K); break;
                case FilterNodeKind.And: Meet(entry, n.True, Unknown); break;
                case FilterNodeKind.Jump: Meet(entry, n.True, entry[id]); Meet(entry, n.False, entry[id]); break;
            }
        }

        var rebuilt = new FilterGraph();
        var map = new int[nodes.Count];
        for (int id = 0; id <= root; id++)
        {
            if (entry[id] == Unreached) { map[id] = -1; continue; }
            var n = nodes[id];
            map[id] = n.Kind switch
            {
                FilterNodeKind.Return => rebuilt.Return(n.K),
                FilterNodeKind.Load when entry[id] == n.K => map[n.True],
                FilterNodeKind.Load => rebuilt.Load(n.K, map[n.True]),
                FilterNodeKind.And => rebuilt.And(n.K, map[n.True]),
                _ => rebuilt.Jump(n.Code, n.K, map[n.True], map[n.False]),
            };
        }
        return (rebuilt, map[root]);
    }

    private static void Meet(long[] entry, int target, long word)
    {
        var current = entry[target];
        entry[target] = current == Unreached ? word : current == word ? word : Unknown;
    }
}
