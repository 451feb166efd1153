using SeccompEbpf.Bpf.Tests.Elf;
using SeccompEbpf.Model;
using SeccompEbpf.Policy.Default;
using SeccompEbpf.Policy.Sources;
using SeccompEbpf.ProgramType;
using SeccompEbpf.Split;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Tests.Policy.Sources;

/// <summary>The policy front end: sources in order, the default policy, one verification per eBPF filter, map seeds, errors that name the source.</summary>
public sealed class PolicyLoaderTests
{
    private static readonly SyscallArch[] X86 = [SyscallArch.X86_64, SyscallArch.X32, SyscallArch.I386];

    private static LoadedPolicy Load(params IPolicySource[] sources) => Load(new PolicyOptions { Sources = sources, Arches = X86 });

    private static LoadedPolicy Load(PolicyOptions options)
    {
        var loaded = PolicyLoader.Load(options);
        Assert.True(loaded.IsOk, loaded.Error?.ToString());
        return loaded.Value;
    }

    private const string DenyClose = """
        {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["close"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}
        """;

    [Fact]
    public void No_source_is_the_built_in_default_policy()
    {
        var policy = Load(new PolicyOptions { Arches = X86 });
        Assert.True(policy.IsDefault);
        Assert.Equal(DefaultPolicy.Name, policy.Description);
        var kexec = SeccompData.For(246, AuditArch.X86_64);
        var profile = Assert.IsType<ProfileStackFilter>(Assert.Single(policy.Stack.Filters));
        Assert.Equal(SeccompAction.ErrnoAction(1).Value, profile.Plan.Evaluate(in kexec));
    }

    [Fact]
    public void Sources_stack_in_the_order_given_and_each_eBPF_filter_keeps_its_one_verification()
    {
        var counter = ExamplePath("02_getpid_counter");
        var policy = Load(ProfileSource.FromJson("deny-close.json", DenyClose), new EbpfObjectSource(counter));
        Assert.Equal(["deny-close.json", $"{Path.GetFileName(counter)}:getpid_counter"], policy.Stack.Filters.Select(f => f.Name));
        var ebpf = Assert.Single(policy.EbpfFilters);
        Assert.NotNull(ebpf.Loaded);
        Assert.True(ebpf.Loaded!.Verification.Accepted);
        Assert.Same(ebpf.Program.Instructions, ebpf.Loaded.Instructions);
    }

    [Fact]
    public void A_profile_from_text_means_what_the_same_profile_from_a_file_means()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("seccomp-ebpf-loader-").FullName, "deny-close.json");
        File.WriteAllText(path, DenyClose);
        var fromText = Load(ProfileSource.FromJson("deny-close.json", DenyClose)).Split;
        var fromFile = Load(ProfileSource.FromFile(path)).Split;
        Assert.Equal(fromFile.Arches.SelectMany(a => a.Entries).Select(e => (e.Low, e.Kind, e.Action)),
            fromText.Arches.SelectMany(a => a.Entries).Select(e => (e.Low, e.Kind, e.Action)));
    }

    [Fact]
    public void The_loader_decides_the_helper_set_and_the_verifier_limits()
    {
        // Under an LSM that refuses the extended features the program gets no maps: the counter in .bss is refused.
        var lsm = PolicyLoader.Load(new PolicyOptions { Sources = [new EbpfObjectSource(ExamplePath("02_getpid_counter"))], Loader = LoaderPrivileges.LsmRefused, Arches = X86 });
        Assert.False(lsm.IsOk);
        Assert.Contains("LSM refuses extended features", lsm.Error!.Message);
        Assert.EndsWith(".o", lsm.Error.Location);
    }

    [Fact]
    public void Map_seeds_are_stored_and_an_unknown_map_is_named()
    {
        var paths = ExamplePath("05_openat_paths");
        var seeded = Load(new PolicyOptions { Sources = [new EbpfObjectSource(paths)], Arches = X86, MapSeeds = [new MapSeed("allowed_paths", "/etc/hostname")] });
        var map = seeded.EbpfFilters.Single().Program.Maps.Single(m => m.Name == "allowed_paths");
        Assert.Single(map.GetKeys());
        var unknown = PolicyLoader.Load(new PolicyOptions { Sources = [new EbpfObjectSource(paths)], Arches = X86, MapSeeds = [new MapSeed("nosuch", "x")] });
        Assert.Contains("no eBPF filter has a map named 'nosuch' (have: allowed_paths", unknown.Error!.Message);
    }

    [Fact]
    public void A_missing_file_is_an_error_that_names_it()
    {
        foreach (var source in new IPolicySource[] { new EbpfObjectSource("/nonexistent/f.o"), ProfileSource.FromFile("/nonexistent/p.json"), new ClassicFilterSource("/nonexistent/f.bpf") })
        {
            var loaded = PolicyLoader.Load(new PolicyOptions { Sources = [source], Arches = X86 });
            Assert.False(loaded.IsOk);
            Assert.Contains("/nonexistent/", loaded.Error!.ToString());
        }
    }

    [Fact]
    public void A_file_given_as_a_filter_is_an_object_when_it_is_ELF_and_a_classic_filter_otherwise()
    {
        Assert.IsType<EbpfObjectSource>(FilterFileSource.For(ExamplePath("01_close_999") + ":seccomp"));
        Assert.IsType<EbpfObjectSource>(FilterFileSource.For("/nonexistent/missing.o"));
        var text = Path.Combine(Directory.CreateTempSubdirectory("seccomp-ebpf-loader-").FullName, "allow.asm");
        File.WriteAllText(text, "ret #0x7fff0000\n");
        Assert.IsType<ClassicFilterSource>(FilterFileSource.For(text));
    }

    private static string ExamplePath(string name) => ClangCompiler.CompileOrSkip(ClangCompiler.ExamplePath(name));
}
