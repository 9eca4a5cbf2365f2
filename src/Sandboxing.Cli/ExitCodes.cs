namespace Sandboxing.Cli;

/// <summary>The exit codes of every command, for CI.</summary>
public static class ExitCodes
{
    /// <summary>Nothing at or above the <c>--fail-on</c> severity (lint); everything fixed that could be (fix); nothing to change (<c>fix --dry-run</c>).</summary>
    public const int Success = 0;

    /// <summary>Findings at or above <c>--fail-on</c> (lint); pods that were reported but left unchanged (fix); changes that <c>fix --dry-run</c> would make.</summary>
    public const int Findings = 1;

    /// <summary>Bad input or usage: an unreadable file, a YAML syntax error, an unknown option. Other files are still processed.</summary>
    public const int BadInput = 2;
}
