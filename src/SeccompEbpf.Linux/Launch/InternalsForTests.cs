// The Linux tests check the launch protocol's encoding directly.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("SeccompEbpf.Linux.Tests")]
