using System.Reflection.Emit;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Engine.Jit;

/// <summary>
/// map_lookup_elem on a map the JIT knows at compile time (r1 loaded by lddw in the same block).
/// An array map's lookup is compiled inline, as the kernel's verifier does (array_map_gen_lookup):
/// when the 4-byte key lies in the stack, the element address is the slab's base plus index times
/// slot size, with the slab's address a constant (map slabs never move). Any other key, and any
/// other map type, goes to <see cref="JitMaps.Lookup"/>, which checks the key as the helper does.
/// </summary>
internal sealed partial class JitCompiler
{
    private void EmitDirectMapLookup(int mapIndex)
    {
        var map = _program.Maps[mapIndex];
        if (map is ArrayMap { Type: MapType.Array, KeySize: 4 } array && _stackLowLoaded)
        {
            EmitInlineArrayLookup(mapIndex, array);
            return;
        }
        EmitCallMapLookup(mapIndex);
    }

    private void EmitInlineArrayLookup(int mapIndex, ArrayMap array)
    {
        Label general = _il.DefineLabel(), missing = _il.DefineLabel(), done = _il.DefineLabel();
        // The key must lie wholly in the stack block: (r2 - stackLow) <= StackBytes - 4, unsigned.
        Load(2);
        _il.Emit(OpCodes.Ldloc, _stackLow);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Ldc_I8, (long)(StackBytes - 4));
        _il.Emit(OpCodes.Bgt_Un, general);

        Load(2);
        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Ldind_U4);
        _il.Emit(OpCodes.Conv_U8);
        _il.Emit(OpCodes.Stloc, _address);
        _il.Emit(OpCodes.Ldloc, _address);
        _il.Emit(OpCodes.Ldc_I8, (long)array.MaxEntries);
        _il.Emit(OpCodes.Bge_Un, missing);
        _il.Emit(OpCodes.Ldloc, _address);
        _il.Emit(OpCodes.Ldc_I8, (long)array.ValueSlotSize);
        _il.Emit(OpCodes.Mul);
        _il.Emit(OpCodes.Ldc_I8, (long)array.DirectValueAddress);
        _il.Emit(OpCodes.Add);
        Store(0);
        _il.Emit(OpCodes.Br, done);

        _il.MarkLabel(missing);
        _il.Emit(OpCodes.Ldc_I8, 0L);
        Store(0);
        _il.Emit(OpCodes.Br, done);

        _il.MarkLabel(general);
        EmitCallMapLookup(mapIndex);
        _il.MarkLabel(done);
    }

    /// <summary>r0 = <see cref="JitMaps.Lookup"/>(context, map, r2, handle).</summary>
    private void EmitCallMapLookup(int mapIndex)
    {
        _il.Emit(OpCodes.Ldarg, ArgContext);
        _il.Emit(OpCodes.Ldarg, ArgCode);
        _il.Emit(OpCodes.Ldfld, Field(typeof(JitCode), nameof(JitCode.Maps)));
        _il.Emit(OpCodes.Ldc_I4, mapIndex);
        _il.Emit(OpCodes.Ldelem_Ref);
        Load(2);
        _il.Emit(OpCodes.Ldc_I8, (long)PseudoAddress.MapHandle(mapIndex));
        _il.Emit(OpCodes.Call, Method(typeof(JitMaps), nameof(JitMaps.Lookup)));
        Store(0);
    }
}
