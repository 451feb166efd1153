using SeccompEbpf.Linux.Tests.Enforcement;
using SeccompEbpf.Linux.Tests.RealPolicies;
using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Linux.Tests.Docs;

/// <summary>
/// What the documented commands expect around them, in a scratch directory (a fresh one per document,
/// so one document's files cannot make another's commands pass): <c>repo/</c> with <c>./seccomp-ebpf</c>
/// (the CLI built next to the tests), a copy of <c>examples/</c> with every filter compiled by clang-19
/// next to its source, and <c>docker.json</c> (Docker's default profile, from the shared data), which
/// the --help examples name; <c>shared/</c> next to it, as ../shared is next to the repository; and
/// <c>bin/seccomp-ebpf</c> on PATH for the examples that call it by name.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class DocScratch : IDisposable
{
    private DocScratch(string root) => Root = root;

    public string Root { get; }
    public string Repository => Path.Combine(Root, "repo");
    public string Bin => Path.Combine(Root, "bin");

    public static DocScratch Create()
    {
        var profiles = SharedData.TryDirectory(SharedData.Profiles, out var why);
        Assert.SkipWhen(profiles is null, why);
        var scratch = new DocScratch(Directory.CreateTempSubdirectory("seccomp-ebpf-doc-").FullName);
        Directory.CreateDirectory(scratch.Bin);
        Copy(Path.Combine(SharedData.RepositoryRoot, "examples"), Path.Combine(scratch.Repository, "examples"));
        foreach (var source in Directory.EnumerateFiles(Path.Combine(scratch.Repository, "examples", "filters"), "*.c"))
            File.Copy(RealPolicyBuild.Example(Path.GetFileNameWithoutExtension(source)), Path.ChangeExtension(source, ".o"), overwrite: true);
        File.Copy(Path.Combine(profiles!, "docker-default.json"), Path.Combine(scratch.Repository, "docker.json"));
        Directory.CreateSymbolicLink(Path.Combine(scratch.Root, "shared"), SharedData.SharedRoot);
        var cli = $"#!/bin/sh\nexec '{EnforcementEnvironment.Launcher.Executable}' '{EnforcementEnvironment.CliAssembly}' \"$@\"\n";
        foreach (var script in new[] { Path.Combine(scratch.Repository, "seccomp-ebpf"), Path.Combine(scratch.Bin, "seccomp-ebpf") })
        {
            File.WriteAllText(script, cli);
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        return scratch;
    }

    /// <summary>Where a reader runs a document's commands: the README's directory (the repository root for --help).</summary>
    public string WorkingDirectoryFor(string source) =>
        source.EndsWith(".md", StringComparison.Ordinal) ? Path.Combine(Repository, Path.GetDirectoryName(source) ?? "") : Repository;

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var directory in Directory.EnumerateDirectories(from)) Copy(directory, Path.Combine(to, Path.GetFileName(directory)));
    }

    public void Dispose()
    {
        // The link first, by itself: removing the tree must never reach the shared data behind it.
        var shared = new DirectoryInfo(Path.Combine(Root, "shared"));
        if (shared.LinkTarget is not null) shared.Delete();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
