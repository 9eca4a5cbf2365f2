using Sandboxing.Cli;

return SandboxingCli.Run(args, new CliConsole(Console.Out, Console.Error, Console.OpenStandardInput, Environment.CurrentDirectory));
