using System.Text;
using SeccompEbpf.Bpf;
using SeccompEbpf.Split;

namespace SeccompEbpf.Policy.Sources;

/// <summary>
/// An entry put in a filter's map before the filters run (what a loader does with bpf(MAP_UPDATE_ELEM)):
/// MAP=TEXT stores TEXT as the key (UTF-8, NUL-padded to the key size) with the value 1.
/// </summary>
public sealed record MapSeed(string Map, string Text)
{
    public static MapSeed? Parse(string spec)
    {
        int eq = spec.IndexOf('=');
        return eq > 0 ? new MapSeed(spec[..eq], spec[(eq + 1)..]) : null;
    }

    public BpfError? ApplyTo(PolicyStack stack)
    {
        var maps = stack.Filters.OfType<EbpfStackFilter>().SelectMany(f => f.Program.Maps).Where(m => m.Name == Map).ToList();
        if (maps.Count == 0)
            return new BpfError($"--map-key {Map}=...: no eBPF filter has a map named '{Map}' (have: {string.Join(", ", stack.Filters.OfType<EbpfStackFilter>().SelectMany(f => f.Program.Maps).Select(m => m.Name))})");
        foreach (var map in maps)
        {
            var key = new byte[map.Spec.KeySize];
            var text = Encoding.UTF8.GetBytes(Text);
            if (text.Length > key.Length) return new BpfError($"--map-key {Map}={Text}: {text.Length} bytes do not fit the {key.Length}-byte key");
            text.CopyTo(key, 0);
            var value = new byte[map.Spec.ValueSize];
            if (value.Length > 0) value[0] = 1;
            long result = map.Update(key, value);
            if (result < 0) return new BpfError($"--map-key {Map}={Text}: the map refused the update (errno {-result})");
        }
        return null;
    }
}
