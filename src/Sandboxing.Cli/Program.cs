using Sandboxing.Cli;

return SandboxingCli.Run(args, CliConsole.ForProcess());
