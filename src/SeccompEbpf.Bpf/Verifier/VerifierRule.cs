namespace SeccompEbpf.Bpf.Verifier;

/// <summary>Names of the rules the verifier enforces; every rejection names one (tests check them).</summary>
public static class VerifierRule
{
    public const string EmptyProgram = "empty-program";
    public const string TooManyInstructions = "too-many-instructions";
    public const string InvalidOpcode = "invalid-opcode";
    public const string ReservedFields = "reserved-fields";
    public const string InvalidRegister = "invalid-register";
    public const string BadLoadImm64 = "bad-lddw";
    public const string JumpOutOfRange = "jump-out-of-range";
    public const string JumpIntoLoadImm64 = "jump-into-lddw";
    public const string Unreachable = "unreachable-instruction";
    public const string FallThroughEnd = "fall-through-end";
    public const string BackEdge = "back-edge";
    public const string BadCallTarget = "bad-call-target";
    public const string CallDepth = "call-depth";
    public const string CombinedStack = "combined-stack";
    public const string LegacyPacketLoad = "legacy-packet-load";
    public const string Unsupported = "unsupported-feature";

    public const string UninitRegister = "uninit-register";
    public const string FramePointerWrite = "frame-pointer-read-only";
    public const string DivByZero = "div-by-zero";
    public const string InvalidShift = "invalid-shift";
    public const string PointerArithmetic = "pointer-arithmetic";
    public const string PointerLeak = "pointer-leak";
    public const string PointerComparison = "pointer-comparison";
    public const string NullPointer = "null-dereference";
    public const string InvalidMemoryAccess = "invalid-mem-access";
    public const string ContextAccess = "ctx-access";
    public const string StackBounds = "stack-bounds";
    public const string StackAlignment = "stack-alignment";
    public const string StackVariableOffset = "stack-variable-offset";
    public const string UninitStackRead = "uninit-stack-read";
    public const string SpillCorruption = "spill-corruption";
    public const string MapValueBounds = "map-value-bounds";
    public const string ReadOnlyMap = "read-only-map";
    public const string MemoryBounds = "mem-bounds";
    public const string UnknownHelper = "unknown-helper";
    public const string HelperArgument = "helper-argument";
    public const string MapReference = "map-reference";
    public const string ReturnValue = "return-value";
    public const string UnreleasedReference = "unreleased-reference";
    public const string InfiniteLoop = "infinite-loop";
    public const string TooComplex = "too-complex";
    public const string AtomicAccess = "atomic-access";
}
