using SeccompEbpf.Classic;
using SeccompEbpf.Model;

namespace SeccompEbpf.Tests.Classic;

/// <summary>The generator behind the kernel differential test must cover what it claims.</summary>
public class RandomClassicFiltersTests
{
    private const int MinNr = 1000, MaxNr = 1100;

    [Fact]
    public void FiltersAreValidUseEveryOpcodeAndNeverKill()
    {
        var generator = new RandomClassicFilters(new Random(7), MinNr, MaxNr, AuditArch.X86_64);
        var seenCodes = new HashSet<ushort>();
        var seenOffsets = new HashSet<uint>();
        var verdicts = new HashSet<uint>();
        for (int n = 0; n < 2000; n++)
        {
            generator = generator.Next();
            var filter = generator.Filter();
            Assert.Null(ClassicChecker.Validate(filter));
            foreach (var ins in filter)
            {
                seenCodes.Add(ins.Code);
                if (ins.Code == ClassicOpcodes.LdAbsW) seenOffsets.Add(ins.K);
            }
            for (int i = 0; i < 4; i++)
            {
                var input = generator.Input();
                Assert.InRange(input.Nr, MinNr, MaxNr);
                var action = new SeccompAction(ClassicInterpreter.Run(filter, in input));
                Assert.Contains(action.EffectiveAction, new[] { SeccompAction.Errno, SeccompAction.Allow, SeccompAction.Log, SeccompAction.Trace, SeccompAction.UserNotif });
                verdicts.Add(action.Value);
            }
        }
        var seccompCodes = typeof(ClassicOpcodes).GetFields()
            .Where(f => f.IsLiteral && f.FieldType == typeof(ushort))
            .Select(f => (ushort)f.GetRawConstantValue()!)
            .Where(code => ClassicChecker.Validate([ClassicInstruction.Stmt(code, 1), ClassicInstruction.Stmt(ClassicOpcodes.RetK, 0)]) is null
                           || ClassicOpcodes.IsConditionalJump(code) || code is ClassicOpcodes.LdMem or ClassicOpcodes.LdxMem or ClassicOpcodes.Ja);
        Assert.Empty(seccompCodes.Except(seenCodes));
        // nr, arch and both halves of all six arguments; never the instruction pointer.
        Assert.Equal(new uint[] { 0, 4, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60 }, seenOffsets.Order());
        Assert.True(verdicts.Count > 500, $"only {verdicts.Count} distinct verdicts");
    }

    [Fact]
    public void GuardAllowsEverySystemCallOutsideTheRange()
    {
        var generator = new RandomClassicFilters(new Random(3), MinNr, MaxNr, AuditArch.X86_64);
        for (int n = 0; n < 200; n++)
        {
            generator = generator.Next();
            var filter = generator.Filter();
            foreach (int nr in new[] { 0, 1, 59, 231, MinNr - 1, MaxNr + 1, -1, int.MaxValue })
                Assert.Equal(SeccompAction.Allow, ClassicInterpreter.Run(filter, SeccompData.For(nr, AuditArch.X86_64, 1, 2, 3)));
        }
    }
}
