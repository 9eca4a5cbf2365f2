using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Sdk.Tests.Cluster;

/// <summary>Asserts that a call fails with the one deploy exception, for the expected reason.</summary>
internal static class DeployErrors
{
    public static async Task<SandboxDeployException> ThrowsAsync(SandboxDeployReason reason, Func<Task> call)
    {
        var ex = await Assert.ThrowsAsync<SandboxDeployException>(call);
        Assert.Equal(reason, ex.Reason);
        return ex;
    }

    public static SandboxDeployException Throws(SandboxDeployReason reason, Action call)
    {
        var ex = Assert.Throws<SandboxDeployException>(call);
        Assert.Equal(reason, ex.Reason);
        return ex;
    }

    public static SandboxDeployException Throws(SandboxDeployReason reason, Func<object?> call)
    {
        var ex = Assert.Throws<SandboxDeployException>(call);
        Assert.Equal(reason, ex.Reason);
        return ex;
    }
}
