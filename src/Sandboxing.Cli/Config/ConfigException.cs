namespace Sandboxing.Cli.Config;

/// <summary>One problem of a config file: where (1-based line and column; 0 when the whole file) and what to do.</summary>
internal sealed record ConfigProblem(string File, int Line, int Column, string Message)
{
    /// <summary><c>file:line:column: message</c>, as compilers and the lint report write it.</summary>
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}

/// <summary>A config file that cannot be used: every problem found in it. The command stops with exit code 2.</summary>
internal sealed class ConfigException : Exception
{
    public ConfigException(ConfigProblem problem)
        : this([problem])
    {
    }

    public ConfigException(IReadOnlyList<ConfigProblem> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    /// <summary>What is wrong, in file order.</summary>
    public IReadOnlyList<ConfigProblem> Problems { get; }
}
