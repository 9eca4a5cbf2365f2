using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Sandboxing.Sdk.Cluster;

/// <summary>
/// The SDK's calls on a cluster, as extension methods of the Kubernetes client (<see cref="IKubernetes"/>): server-side apply of
/// sandboxed objects (<see cref="ApplySandboxedAsync{T}"/>), the readiness preflight (<see cref="CheckSandboxReadinessAsync"/>,
/// <see cref="DescribePreflight"/>) and the audit of running workloads (<see cref="AuditSandboxingAsync"/>).
/// Apply is one call: <c>PATCH</c> with <c>application/apply-patch+yaml</c>, a field manager,
/// optional <c>force</c> and server dry run. Objects are checked first and an unsandboxed one is refused before anything is sent;
/// the API server's errors become <see cref="SandboxDeployException"/>s that say what to do; 429 and 5xx are retried.
/// Supported kinds: Namespace, RuntimeClass, ValidatingAdmissionPolicy and MutatingAdmissionPolicy (v1, v1beta1) with their
/// bindings, ConfigMap, Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, and the custom resources of
/// <see cref="PodTemplateRegistry.Default"/> as <see cref="UnstructuredObject"/>s (through the custom objects API of their group).
/// </summary>
public static partial class SandboxClusterExtensions
{
    /// <summary>The longest field manager name the API server accepts.</summary>
    public const int MaxFieldManagerLength = 128;

    /// <summary>The kinds <see cref="ApplySandboxedAsync{T}"/> applies.</summary>
    public static IReadOnlyList<string> SupportedKinds => ApplyKinds.Names;

    /// <summary>
    /// Server-side applies one object and returns what the server answered (with <c>metadata.uid</c>, <c>resourceVersion</c> and
    /// <c>managedFields</c>). The caller's object is not changed: the body is a copy without server-owned metadata
    /// (<c>managedFields</c>, <c>uid</c>, <c>resourceVersion</c>, <c>creationTimestamp</c>, <c>generation</c>) and without <c>status</c>.
    /// </summary>
    /// <typeparam name="T">A supported kind, for example <see cref="V1Job"/>.</typeparam>
    /// <param name="client">The Kubernetes client (any <see cref="IKubernetes"/>).</param>
    /// <param name="obj">The object to apply.</param>
    /// <param name="fieldManager">Who owns the applied fields, for example <c>acme-platform</c> (required, at most 128 characters).</param>
    /// <param name="options">Force, dry run, default namespace, validation, retries, preflight; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the call, including retries and backoff.</param>
    /// <exception cref="ArgumentException">No field manager; the object has no name, or no namespace where one is needed; an unsupported kind.</exception>
    /// <exception cref="SandboxValidationException">The object is not sandboxed (SBX1001–SBX1003) or has error-level findings; nothing was sent.</exception>
    /// <exception cref="SandboxDeployException">
    /// The server refused the object or could not be reached, or the preflight was asked for and failed (nothing was sent);
    /// <see cref="SandboxDeployException.Reason"/> says which case.
    /// </exception>
    public static async Task<T> ApplySandboxedAsync<T>(
        this IKubernetes client, T obj, string fieldManager, SandboxApplyOptions? options = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(obj);
        options ??= new SandboxApplyOptions();
        CheckFieldManager(fieldManager);
        var prepared = Prepare(obj, options);
        SandboxGate.ThrowIfUnsandboxed([obj], options.Validation);
        cancellationToken.ThrowIfCancellationRequested();
        if (options.Preflight)
        {
            await PreflightAsync(client, [obj], options, cancellationToken).ConfigureAwait(false);
        }

        return (T)await SendAsync(client, prepared, fieldManager, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Server-side applies several objects: all are checked before the first request, so one unsandboxed object means nothing is
    /// sent; then they are applied in dependency order (Namespaces, RuntimeClasses, admission policies and bindings, then
    /// workloads, otherwise in the given order). Stops at the first refusal.
    /// </summary>
    /// <returns>The server's answers, in the order they were applied.</returns>
    /// <exception cref="ArgumentException">See <see cref="ApplySandboxedAsync{T}"/>; also thrown for any object that is not a supported kind.</exception>
    /// <exception cref="SandboxValidationException">Some objects are not sandboxed; lists every finding of every object.</exception>
    /// <exception cref="SandboxDeployException">The server refused an object; the objects before it were applied.</exception>
    public static async Task<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>> ApplySandboxedAsync(
        this IKubernetes client, IEnumerable<IKubernetesObject<V1ObjectMeta>> objects, string fieldManager,
        SandboxApplyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(objects);
        options ??= new SandboxApplyOptions();
        CheckFieldManager(fieldManager);
        var list = objects.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"Object {i} of the batch is null.", nameof(objects));
            }
        }

        var prepared = list.Select(o => Prepare(o, options)).ToList();
        SandboxGate.ThrowIfUnsandboxed(list, options.Validation);
        cancellationToken.ThrowIfCancellationRequested();
        if (options.Preflight)
        {
            await PreflightAsync(client, list, options, cancellationToken).ConfigureAwait(false);
        }

        var results = new List<IKubernetesObject<V1ObjectMeta>>(prepared.Count);
        foreach (var item in prepared.OrderBy(p => p.Kind.Order)) // OrderBy is stable: equal kinds keep the caller's order
        {
            results.Add((IKubernetesObject<V1ObjectMeta>)await SendAsync(client, item, fieldManager, options, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    private static async Task PreflightAsync(IKubernetes client, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects, SandboxApplyOptions options, CancellationToken cancellationToken)
    {
        var readiness = (options.PreflightOptions ?? new SandboxReadinessOptions { Retry = options.Retry }).ForWorkloads(objects);
        var report = await client.CheckSandboxReadinessAsync(readiness, cancellationToken).ConfigureAwait(false);
        if (!report.IsReady)
        {
            throw SandboxDeployException.NotReady(report);
        }
    }

    private static Task<object> SendAsync(IKubernetes client, Prepared item, string fieldManager, SandboxApplyOptions options, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(item.Body, V1Patch.PatchType.ApplyPatch);
        string? dryRun = options.DryRun ? "All" : null;
        return ApiCall.RunAsync(
            client,
            token => item.Kind.Apply(client, patch, item.Name, item.Namespace, dryRun, fieldManager, options.FieldValidation, options.Force, token),
            options.Retry, item.Target, cancellationToken);
    }

    private static void CheckFieldManager(string fieldManager)
    {
        if (string.IsNullOrWhiteSpace(fieldManager))
        {
            throw new ArgumentException(
                "A field manager is required for server-side apply: name the component that owns the applied fields, for example \"acme-platform\".",
                nameof(fieldManager));
        }

        if (fieldManager.Length > MaxFieldManagerLength)
        {
            throw new ArgumentException($"The field manager is {fieldManager.Length} characters long; the API server accepts at most {MaxFieldManagerLength}.", nameof(fieldManager));
        }
    }

    /// <summary>An object checked and serialized for apply.</summary>
    private sealed record Prepared(ApplyKinds.Kind Kind, string Name, string? Namespace, string Body, ApiTarget Target);

    private static Prepared Prepare(IKubernetesObject<V1ObjectMeta> obj, SandboxApplyOptions options)
    {
        var type = obj.GetType();
        var kind = ApplyKinds.Find(obj) ?? throw new ArgumentException(
            $"{(obj is UnstructuredObject u ? $"{u.Kind} ({u.ApiVersion})" : type.Name)} cannot be applied by the SDK; supported kinds: {string.Join(", ", ApplyKinds.Names)}.", nameof(obj));
        string described = PodTemplates.KindOf(obj);
        var meta = obj.Metadata;
        if (string.IsNullOrWhiteSpace(meta?.Name))
        {
            throw new ArgumentException(
                string.IsNullOrEmpty(meta?.GenerateName)
                    ? $"The {described} has no metadata.name; server-side apply needs the object's name."
                    : $"The {described} has metadata.generateName '{meta.GenerateName}' but no metadata.name; server-side apply cannot generate names: set metadata.name.",
                "obj.metadata.name");
        }

        string? ns = meta.NamespaceProperty;
        if (kind.Namespaced)
        {
            if (string.IsNullOrWhiteSpace(ns))
            {
                ns = options.DefaultNamespace;
                if (string.IsNullOrWhiteSpace(ns))
                {
                    throw new ArgumentException(
                        $"The {described} '{meta.Name}' has no metadata.namespace; set it, or pass SandboxApplyOptions {{ DefaultNamespace = \"…\" }}.",
                        "obj.metadata.namespace");
                }
            }

            if (KubernetesNames.CheckLabel(ns) is { } nsError)
            {
                throw new ArgumentException($"The namespace '{ns}' of {described} '{meta.Name}' is not valid: {nsError}.", "obj.metadata.namespace");
            }
        }
        else if (!string.IsNullOrEmpty(ns))
        {
            throw new ArgumentException(
                $"{described} is cluster-scoped, but '{meta.Name}' has metadata.namespace '{ns}'; remove it.", "obj.metadata.namespace");
        }

        // The body is a copy, so the caller's object keeps its state. Apply bodies must not carry managedFields, and the other
        // server-owned fields would turn apply into an optimistic-lock update or be ignored.
        var body = obj is UnstructuredObject unstructured ? UnstructuredPods.ToJson(unstructured) : JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();
        body["apiVersion"] = string.IsNullOrEmpty(obj.ApiVersion) ? ApiVersionOf(type) : obj.ApiVersion;
        body["kind"] = string.IsNullOrEmpty(obj.Kind) ? kind.Name : obj.Kind;
        var m = body["metadata"]!.AsObject();
        if (kind.Namespaced)
        {
            m["namespace"] = ns;
        }

        foreach (var serverOwned in (string[])["managedFields", "uid", "resourceVersion", "creationTimestamp", "generation", "selfLink"])
        {
            m.Remove(serverOwned);
        }

        body.Remove("status");

        var runtimeClasses = PodTemplates.FindAll(obj).Select(s => s.Spec.RuntimeClassName).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var target = new ApiTarget(kind.Name, kind.Namespaced ? ns : null, meta.Name, "apply", runtimeClasses);
        return new Prepared(kind, meta.Name, kind.Namespaced ? ns : null, body.ToJsonString(), target);
    }

    private static string ApiVersionOf(Type type)
    {
        var attribute = (KubernetesEntityAttribute?)Attribute.GetCustomAttribute(type, typeof(KubernetesEntityAttribute));
        return attribute is null ? "v1" : string.IsNullOrEmpty(attribute.Group) ? attribute.ApiVersion : $"{attribute.Group}/{attribute.ApiVersion}";
    }
}
