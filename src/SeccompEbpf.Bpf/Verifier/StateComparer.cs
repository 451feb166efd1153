namespace SeccompEbpf.Bpf.Verifier;

/// <summary>
/// State pruning: an explored state covers a new one when every value the new state allows was
/// allowed by the explored state, so the paths from it are already proven safe. Registers the
/// explored state never initialised (or that were dead) cover anything. Ids must correspond
/// one-to-one so that null checks and range narrowing act on the same copies.
/// </summary>
internal static class StateComparer
{
    public static bool Covers(VerifierState old, VerifierState cur, bool exact)
    {
        if (old.Frames.Count != cur.Frames.Count || old.References.Count != cur.References.Count) return false;
        var ids = new IdMap();
        for (int i = 0; i < old.References.Count; i++)
            if (!ids.Match(old.References[i].RefId, cur.References[i].RefId)) return false;
        for (int f = 0; f < old.Frames.Count; f++)
        {
            var o = old.Frames[f];
            var c = cur.Frames[f];
            if (o.ReturnTo != c.ReturnTo || o.SubprogStart != c.SubprogStart) return false;
            for (int r = 0; r < o.Regs.Length; r++)
                if (!RegCovers(o.Regs[r], c.Regs[r], ids, exact)) return false;
            if (!StackCovers(o, c, ids, exact)) return false;
        }
        return true;
    }

    private static bool StackCovers(FrameState o, FrameState c, IdMap ids, bool exact)
    {
        // Slots below both frames' first used slot are unwritten in both: equal.
        for (int slot = Math.Min(o.FirstUsedSlot, c.FirstUsedSlot); slot < FrameState.SlotCount; slot++)
        {
            var os = o.Spills[slot];
            var cs = c.Spills[slot];
            if (os is { } oldSpill)
            {
                if (cs is not { } curSpill || !RegCovers(oldSpill, curSpill, ids, exact)) return false;
                continue;
            }
            for (int i = slot * 8; i < slot * 8 + 8; i++)
            {
                var ob = o.Stack[i];
                var cb = c.Stack[i];
                if (exact ? ob != cb : !ByteCovers(ob, cb, cs)) return false;
            }
        }
        return true;
    }

    private static bool ByteCovers(StackByte old, StackByte cur, RegisterState? curSpill) => old switch
    {
        StackByte.Invalid => true,
        StackByte.Misc => cur is StackByte.Misc or StackByte.Zero || (cur == StackByte.Spill && curSpill is { IsScalar: true }),
        StackByte.Zero => cur == StackByte.Zero || (cur == StackByte.Spill && curSpill is { IsConst: true } s && s.Value.ConstValue == 0),
        _ => false,
    };

    private static bool RegCovers(RegisterState o, RegisterState c, IdMap ids, bool exact)
    {
        if (o.Type == RegisterType.NotInit) return true;
        if (o.Type != c.Type) return false;
        bool valueOk = exact ? o.Value == c.Value : c.Value.IsWithin(o.Value);
        switch (o.Type)
        {
            case RegisterType.Scalar:
                return valueOk && (o.Id == 0 || ids.Match(o.Id, c.Id));
            case RegisterType.PtrToCtx:
                return o.Off == c.Off && valueOk;
            case RegisterType.PtrToStack:
                return o.Frame == c.Frame && o.Off == c.Off && valueOk;
            case RegisterType.ConstPtrToMap:
                return ReferenceEquals(o.Map, c.Map);
            case RegisterType.PtrToMapValue:
            case RegisterType.PtrToMapValueOrNull:
                return ReferenceEquals(o.Map, c.Map) && o.Off == c.Off && valueOk
                    && (o.Type == RegisterType.PtrToMapValue || ids.Match(o.Id, c.Id));
            case RegisterType.PtrToMem:
            case RegisterType.PtrToMemOrNull:
                return o.Size == c.Size && o.Off == c.Off && valueOk && ids.Match(o.RefId, c.RefId)
                    && (o.Type == RegisterType.PtrToMem || ids.Match(o.Id, c.Id));
        }
        return false;
    }

    /// <summary>A one-to-one correspondence between ids of the old and the new state.</summary>
    private sealed class IdMap
    {
        private Dictionary<int, int>? _forward;
        private Dictionary<int, int>? _backward;

        public bool Match(int oldId, int curId)
        {
            if (oldId == 0 || curId == 0) return oldId == curId;
            _forward ??= new Dictionary<int, int>();
            _backward ??= new Dictionary<int, int>();
            if (_forward.TryGetValue(oldId, out var f)) return f == curId;
            if (_backward.TryGetValue(curId, out var b)) return b == oldId;
            _forward[oldId] = curId;
            _backward[curId] = oldId;
            return true;
        }
    }
}
