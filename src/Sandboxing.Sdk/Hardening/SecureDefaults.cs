namespace Sandboxing.Sdk;

/// <summary>
/// The non-root user and group the builders give every pod (<c>securityContext.runAsUser</c>/<c>runAsGroup</c>), and that
/// <c>Sandbox()</c> gives pods that name no user when <see cref="SandboxOptions.RunAsNonRootUser"/> is set.
/// </summary>
/// <remarks>
/// <para>
/// Why a numeric user: with <c>runAsNonRoot: true</c> and no <c>runAsUser</c>, the kubelet refuses every image whose user is root
/// ("container has runAsNonRoot and image will run as root", kubernetes/kubernetes pkg/kubelet/kuberuntime
/// <c>verifyRunAsNonRoot</c>) or not numeric. <c>python:3.12-slim</c> and <c>busybox:1.36</c> have no <c>USER</c>, so they run as
/// uid 0 (docker-library/python <c>3.12/slim-bookworm/Dockerfile</c>, docker-library/busybox <c>Dockerfile</c>).
/// </para>
/// <para>
/// Why 25000/26000: the ids cdk8s-plus documents for its containers ("an arbitrary number bigger than 9999", so it matches no
/// account of the base image or the host; cdk8s-team/cdk8s-plus <c>src/container.ts</c>). cdk8s-plus added them as defaults in
/// PR #1094 and reverted that in PR #1437 because images that need their own user broke (cdk8s-plus#1339); its JSDoc still
/// shows them. We keep them because a pod that the kubelet refuses is worse: an image that needs its own user (files owned by
/// a specific uid, a home directory) sets it with <c>RunAsUser(…)</c> or <c>WithPodSecurityContext</c>.
/// </para>
/// </remarks>
internal static class SecureDefaults
{
    /// <summary>The default user id, 25000: not root, and no account of common base images or of the node.</summary>
    public const long UserId = 25000;

    /// <summary>The default group id, 26000.</summary>
    public const long GroupId = 26000;
}
