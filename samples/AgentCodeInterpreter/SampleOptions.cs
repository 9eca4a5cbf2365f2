namespace AgentCodeInterpreter;

/// <summary>The sample's command line.</summary>
internal sealed class SampleOptions
{
    public string? Kubeconfig { get; private set; }

    public string? Context { get; private set; }

    public string Namespace { get; private set; } = "agents";

    public string WarmPool { get; private set; } = "python-runtime";

    public string? Template { get; private set; }

    public Uri? RouterUrl { get; private set; }

    public bool Help { get; private set; }

    public bool PrintSetup { get; private set; }

    /// <summary>The options, or null with <paramref name="error"/> naming the flag that is wrong.</summary>
    public static SampleOptions? Parse(string[] args, out string? error)
    {
        var options = new SampleOptions();
        bool warmPoolGiven = false;
        for (int i = 0; i < args.Length; i++)
        {
            var flag = args[i];
            if (flag is "-h" or "--help")
            {
                options.Help = true;
                continue;
            }

            if (flag == "--print-setup")
            {
                options.PrintSetup = true;
                continue;
            }

            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                error = $"{flag} needs a value";
                return null;
            }

            var value = args[++i];
            switch (flag)
            {
                case "--kubeconfig":
                    options.Kubeconfig = value;
                    break;
                case "--context":
                    options.Context = value;
                    break;
                case "--namespace":
                    options.Namespace = value;
                    break;
                case "--warm-pool":
                    options.WarmPool = value;
                    warmPoolGiven = true;
                    break;
                case "--template":
                    options.Template = value;
                    break;
                case "--router-url":
                    if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                    {
                        error = $"--router-url '{value}' is not an http or https URL";
                        return null;
                    }

                    options.RouterUrl = url;
                    break;
                default:
                    error = $"unknown option {flag}";
                    return null;
            }
        }

        if (warmPoolGiven && options.Template is not null)
        {
            error = "give --warm-pool or --template, not both";
            return null;
        }

        error = null;
        return options;
    }
}
