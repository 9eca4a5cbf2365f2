namespace Sandboxing.Cli.Tests.Config;

/// <summary>
/// The valid config files the tests use, in one place so that <see cref="ConfigSchemaTests"/> validates every one of them against
/// schemas/sandboxing.schema.json (each public constant is an example).
/// </summary>
public static class ConfigExamples
{
    public const string RuntimeClh = "runtime: kata-clh\n";

    public const string RuntimeQemu = "# yaml-language-server: $schema=https://raw.githubusercontent.com/sandboxing-sdk/Sandboxing.Sdk/main/schemas/sandboxing.schema.json\nruntime: kata-qemu\n";

    public const string AllowedClh = "allowedRuntimeClasses: [kata-clh]\n";

    public const string ExcludeLegacy = "exclude:\n  - legacy\n";

    public const string Workspaces = """
        podTemplates:
          - apiVersion: dev.example.com/v1
            kind: Workspace
            resource: workspaces
            paths: [spec.podTemplate.spec]
            replicas: spec.replicas
        """;

    public const string NoInputClasses = "readRuntimeClassesFromInputs: false\n";

    public const string SmallKataPods = """
        runtimeClasses:
          - name: small-kata-pods
            handler: kata
            overhead: {memory: 120Mi, cpu: 250m}
            nodeSelector: {kubernetes.azure.com/kata-vm-isolation: "true"}
            tolerations:
              - {key: sandbox, value: kata, effect: NoSchedule}
        """;

    public const string StrictRules = """
        rules:
          SBX1001: error
          SBX2004: off
          SBX2005: warning
        """;

    public const string InfoHostPath = "rules: {SBX2004: info}\n";

    public const string Everything = """
        # yaml-language-server: $schema=https://raw.githubusercontent.com/sandboxing-sdk/Sandboxing.Sdk/main/schemas/sandboxing.schema.json
        allowedRuntimeClasses: [kata-vm-isolation, small-kata-pods]
        runtime: small-kata-pods
        runtimeClasses:
          - name: small-kata-pods
            handler: kata
            overhead: {memory: 120Mi}
        readRuntimeClassesFromInputs: true
        exclude: [charts, "**/values.yaml"]
        podTemplates:
          - group: dev.example.com
            kind: Workspace
            resource: workspaces
            paths: [spec.podTemplate.spec, spec.sidecars.*.template.spec]
        rules:
          SBX2006: off
        """;
}
