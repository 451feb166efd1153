using SeccompEbpf.Bpf.Elf.Btf;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Elf;

/// <summary>
/// Reads one map definition from the BTF of a <c>.maps</c> variable, the way libbpf does:
/// the variable's type is a struct whose members encode the attributes in their types.
/// <c>__uint(name, N)</c> is a member "name" of type pointer-to-array-of-N (N is the value);
/// <c>__type(name, T)</c> is a member "name" of type pointer-to-T (sizeof(T) is the size).
/// </summary>
internal static class BtfMapDefinitionReader
{
    public static BpfResult<ObjectMap> Read(BtfSpec btf, BtfVar variable, ElfSection section, ulong offset)
    {
        string where = $"map '{variable.Name}' in {section.Name}";
        var structType = btf.SkipModifiers(variable.TypeId);
        if (!structType.IsOk) return Fail(where, structType.Error!.Message);
        if (structType.Value is not BtfComposite { Kind: BtfKind.Struct } def)
            return Fail(where, $"its type is {structType.Value.Describe()}, expected a struct of __uint/__type members");

        uint type = 0, maxEntries = 0, flags = 0;
        uint? keySize = null, valueSize = null;
        string? keyType = null, valueType = null;
        foreach (var m in def.Members)
        {
            switch (m.Name)
            {
                case "type" or "max_entries" or "map_flags" or "numa_node" or "map_extra" or "pinning":
                {
                    var v = ReadUint(btf, m);
                    if (!v.IsOk) return Fail(where, v.Error!.Message);
                    if (m.Name == "type") type = v.Value;
                    else if (m.Name == "max_entries") maxEntries = v.Value;
                    else if (m.Name == "map_flags") flags = v.Value;
                    break;
                }
                case "key_size" or "value_size":
                {
                    var v = ReadUint(btf, m);
                    if (!v.IsOk) return Fail(where, v.Error!.Message);
                    var error = m.Name == "key_size" ? SetSize(ref keySize, v.Value, m.Name) : SetSize(ref valueSize, v.Value, m.Name);
                    if (error is not null) return Fail(where, error);
                    break;
                }
                case "key" or "value":
                {
                    var pointee = ReadPointee(btf, m);
                    if (!pointee.IsOk) return Fail(where, pointee.Error!.Message);
                    var size = btf.SizeOf(pointee.Value);
                    if (!size.IsOk) return Fail(where, $"{m.Name} type: {size.Error!.Message}");
                    if (size.Value > uint.MaxValue) return Fail(where, $"{m.Name} type is larger than 4 GiB");
                    bool isKey = m.Name == "key";
                    var error = isKey ? SetSize(ref keySize, (uint)size.Value, m.Name) : SetSize(ref valueSize, (uint)size.Value, m.Name);
                    if (error is not null) return Fail(where, error);
                    if (isKey) keyType = btf.NameOf(pointee.Value); else valueType = btf.NameOf(pointee.Value);
                    break;
                }
                case "values":
                    return Fail(where, "initial 'values' (map-in-map or program-array contents) are not supported");
                default:
                    return Fail(where, $"unknown field '{m.Name}' (libbpf knows type, max_entries, map_flags, key, value, key_size, value_size, numa_node, map_extra, pinning, values)");
            }
        }

        var spec = new MapSpec(variable.Name, (MapType)type, keySize ?? 0, valueSize ?? 0, maxEntries, flags);
        return new ObjectMap(spec, MapOrigin.BtfMapsSection, section.Index, section.Name, offset, keyType, valueType);
    }

    private static string? SetSize(ref uint? slot, uint value, string field)
    {
        if (slot is { } existing && existing != value)
            return $"{field} gives size {value} but another field gave {existing}";
        slot = value;
        return null;
    }

    /// <summary>__uint(name, N): pointer to an array of N elements.</summary>
    private static BpfResult<uint> ReadUint(BtfSpec btf, BtfMember m)
    {
        var ptr = btf.SkipModifiers(m.TypeId);
        if (!ptr.IsOk) return ptr.Error!;
        if (ptr.Value is not BtfReference { Kind: BtfKind.Ptr } p)
            return new BpfError($"field '{m.Name}' is {ptr.Value.Describe()}, expected __uint({m.Name}, N) (a pointer to an array)");
        var array = btf.SkipModifiers(p.TargetId);
        if (!array.IsOk) return array.Error!;
        if (array.Value is not BtfArray a)
            return new BpfError($"field '{m.Name}' points to {array.Value.Describe()}, expected __uint({m.Name}, N) (an array)");
        return a.ElementCount;
    }

    /// <summary>__type(name, T): pointer to T.</summary>
    private static BpfResult<int> ReadPointee(BtfSpec btf, BtfMember m)
    {
        var ptr = btf.SkipModifiers(m.TypeId);
        if (!ptr.IsOk) return ptr.Error!;
        if (ptr.Value is not BtfReference { Kind: BtfKind.Ptr } p)
            return new BpfError($"field '{m.Name}' is {ptr.Value.Describe()}, expected __type({m.Name}, T) (a pointer)");
        return p.TargetId;
    }

    private static BpfError Fail(string where, string message) => new($"{where}: {message}");
}
