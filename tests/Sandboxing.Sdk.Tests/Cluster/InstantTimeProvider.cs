namespace Sandboxing.Sdk.Tests.Cluster;

/// <summary>
/// A clock whose timers fire at once (or never, with <paramref name="fire"/> false) and that records every due time asked of
/// it, so a retry policy's waits take no time and can be asserted. Give it to a policy with no attempt timeout and no deadline,
/// so that the only timers are the waits between attempts.
/// </summary>
public sealed class InstantTimeProvider(Action<TimeSpan>? onTimer = null, bool fire = true) : TimeProvider
{
    private readonly List<TimeSpan> _dueTimes = [];

    /// <summary>Every timer's due time, in the order asked.</summary>
    public IReadOnlyList<TimeSpan> DueTimes { get { lock (_dueTimes) { return _dueTimes.ToList(); } } }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (_dueTimes)
        {
            _dueTimes.Add(dueTime);
        }

        onTimer?.Invoke(dueTime);
        if (fire)
        {
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }

        return new Stopped();
    }

    private sealed class Stopped : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
