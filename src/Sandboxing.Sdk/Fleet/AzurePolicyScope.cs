namespace Sandboxing.Sdk.Aks;

/// <summary>Where the Azure Policy definitions, the initiative and its assignment are deployed (the Bicep file's <c>targetScope</c>).</summary>
internal enum AzurePolicyScope
{
    /// <summary>A management group: every subscription below it (deploy with <c>az deployment mg create</c>).</summary>
    ManagementGroup = 0,

    /// <summary>One subscription (deploy with <c>az deployment sub create</c>).</summary>
    Subscription,
}
