namespace Sandboxing.Sdk;

/// <summary>
/// Marks an SDK entry point that sandboxes a Kubernetes object: on a parameter, the argument's pod templates get a sandbox
/// runtime class by the call (or when the builder it returns is built); on a return value, the object returned is sandboxed.
/// The Sandboxing analyzer reads this marker by its metadata name, so a new overload is understood without changing the analyzer.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.ReturnValue, AllowMultiple = false, Inherited = false)]
public sealed class SandboxesArgumentAttribute : Attribute
{
}
