namespace Sandboxing.Sdk.Cluster;

/// <summary>
/// How the SDK retries a Kubernetes API call: HTTP 429 and 5xx answers and failed connections are retried with bounded
/// exponential backoff; a <c>Retry-After</c> header (seconds or an HTTP date), or the Status body's
/// <c>details.retryAfterSeconds</c>, replaces the backoff for that attempt. Server-side apply and reads are idempotent, so
/// retrying them is safe. Other answers (400, 401, 403, 404, 409, 422) are never retried.
/// </summary>
public sealed class SandboxRetryPolicy
{
    private readonly int _maxAttempts = 4;
    private readonly TimeSpan _attemptTimeout = TimeSpan.FromSeconds(30);
    private readonly TimeSpan _deadline = TimeSpan.FromMinutes(2);

    /// <summary>The default: 4 attempts, 200ms doubling up to 5s, with jitter; a <c>Retry-After</c> of up to 30s is honored.</summary>
    public static SandboxRetryPolicy Default { get; } = new();

    /// <summary>One attempt and no retry.</summary>
    public static SandboxRetryPolicy None { get; } = new() { MaxAttempts = 1 };

    /// <summary>How many times a call is tried in all (at least 1). Default 4.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxAttempts
    {
        get => _maxAttempts;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxAttempts = value;
        }
    }

    /// <summary>The wait before the second attempt; it doubles for each later one. Default 200ms.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest backoff between two attempts. Default 5s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest <c>Retry-After</c> the SDK waits for. When the server asks for longer, the call fails at once with the server's
    /// answer instead of blocking the caller. Default 30s.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the backoff is randomized between half and all of its value (spreads retries of many clients). Default true.</summary>
    public bool Jitter { get; init; } = true;

    /// <summary>
    /// How long one attempt may wait for the API server's answer before it counts as a failed connection (and is retried).
    /// Default 30s, well under the HTTP client's own 100s; <see cref="Timeout.InfiniteTimeSpan"/> leaves only the client's.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative (other than infinite).</exception>
    public TimeSpan AttemptTimeout
    {
        get => _attemptTimeout;
        init => _attemptTimeout = CheckTimeout(value);
    }

    /// <summary>
    /// The deadline of one call, all attempts and waits included: when it passes, the call fails with a
    /// <see cref="SandboxDeployException"/> (<see cref="SandboxDeployReason.ClusterUnreachable"/>) that says so. Default 2 minutes; <see cref="Timeout.InfiniteTimeSpan"/> for none.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative (other than infinite).</exception>
    public TimeSpan Deadline
    {
        get => _deadline;
        init => _deadline = CheckTimeout(value);
    }

    /// <summary>Whether failed connections (refused, DNS, TLS, client timeout) are retried. Default true.</summary>
    public bool RetryConnectionFailures { get; init; } = true;

    /// <summary>
    /// The clock of the waits between attempts, the attempt timeout and the deadline. Default <see cref="TimeProvider.System"/>;
    /// tests pass a fake one so that retries take no time.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The backoff before attempt <paramref name="nextAttempt"/> (2 for the first retry) when the server gave no Retry-After.</summary>
    internal TimeSpan Backoff(int nextAttempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nextAttempt, 2);
        double ms = InitialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(nextAttempt - 2, 30));
        ms = Math.Min(ms, MaxDelay.TotalMilliseconds);
        if (Jitter)
        {
            ms *= 0.5 + (Random.Shared.NextDouble() * 0.5);
        }

        return TimeSpan.FromMilliseconds(Math.Max(0, ms));
    }

    private static TimeSpan CheckTimeout(TimeSpan value)
    {
        if (value != System.Threading.Timeout.InfiniteTimeSpan && value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A timeout must be positive, or Timeout.InfiniteTimeSpan for none.");
        }

        return value;
    }
}
