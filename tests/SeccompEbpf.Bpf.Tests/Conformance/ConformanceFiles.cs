using SeccompEbpf.Bpf.Conformance;
using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Bpf.Tests.Conformance;

/// <summary>The shared conformance suite files; tests skip with the reason when they are absent.</summary>
internal static class ConformanceFiles
{
    public static string[] Tests() => List(SharedData.ConformanceTests);
    public static string[] Negative() => List(SharedData.ConformanceNegative);

    public static ConformanceTestFile Load(string path)
    {
        var parsed = ConformanceTestFile.Load(path);
        Assert.True(parsed.IsOk, $"{path}: {parsed.Error}");
        return parsed.Value;
    }

    private static string[] List(string directory)
    {
        var found = SharedData.TryDirectory(directory, out var reason);
        Assert.SkipWhen(found is null, reason);
        var files = Directory.GetFiles(found!, "*.data").Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(files);
        return files;
    }
}
