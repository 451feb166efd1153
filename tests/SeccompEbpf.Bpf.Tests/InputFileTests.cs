namespace SeccompEbpf.Bpf.Tests;

/// <summary>Unreadable inputs are error values in our words, naming the file: never .NET's "Access to the path is denied".</summary>
public sealed class InputFileTests
{
    [Fact]
    public void A_directory_is_named_as_one()
    {
        var dir = Directory.CreateTempSubdirectory("seccomp-ebpf-input-").FullName;
        var read = InputFile.ReadAllBytes(dir);
        Assert.False(read.IsOk);
        Assert.Equal($"{dir}: is a directory: give a file", read.Error!.ToString());
        Directory.Delete(dir);
    }

    [Fact]
    public void A_missing_file_and_a_missing_directory_are_no_such_file()
    {
        Assert.Equal("/nonexistent/x.o: no such file", InputFile.ReadAllBytes("/nonexistent/x.o").Error!.ToString());
        var file = Path.GetTempFileName();
        File.Delete(file);
        Assert.Equal($"{file}: no such file", InputFile.ReadAllText(file).Error!.ToString());
    }

    [Fact]
    public void An_empty_name_is_said_to_be_missing()
    {
        Assert.Equal("no file name given", InputFile.ReadAllBytes("").Error!.ToString());
    }

    [Fact]
    public void A_readable_file_is_read_whole()
    {
        var file = Path.GetTempFileName();
        File.WriteAllBytes(file, [1, 2, 3]);
        Assert.Equal([1, 2, 3], InputFile.ReadAllBytes(file).Value);
        File.Delete(file);
    }
}
