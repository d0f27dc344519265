namespace Trader.Exchange.Server.Faults;

/// <summary>
/// The faults in force and what is left of their counts. Thread-safe: REST requests, WebSocket writers and the
/// control endpoint use it at once. Each <c>TryConsume…</c> answers whether the fault fires for this one request or
/// frame and counts it down.
/// </summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private int _upgrade503;
    private int _skipSequence;
    private int _rateLimitBurst;
    private int _latencyMs;
    private long _clockSkewMs;
    private int _sendDelayMs;
    private bool _stall;
    private int _dropEverySeconds;
    private readonly List<(RestFaultRule Rule, int Left)> _rules = [];
    private TaskCompletionSource _unstalled = NewSignal(completed: true);

    /// <summary>Raised (outside the lock) after settings change, for the server to re-arm its timers.</summary>
    public event Action? Changed;

    public TimeSpan Latency
    {
        get
        {
            lock (_gate) return TimeSpan.FromMilliseconds(_latencyMs);
        }
    }

    public TimeSpan ClockSkew
    {
        get
        {
            lock (_gate) return TimeSpan.FromMilliseconds(_clockSkewMs);
        }
    }

    public TimeSpan SendDelay
    {
        get
        {
            lock (_gate) return TimeSpan.FromMilliseconds(_sendDelayMs);
        }
    }

    public TimeSpan? DropEvery
    {
        get
        {
            lock (_gate) return _dropEverySeconds > 0 ? TimeSpan.FromSeconds(_dropEverySeconds) : null;
        }
    }

    /// <summary>Completes when WebSocket frames may be sent (at once unless <see cref="FaultSettings.WebsocketStall"/> is on).</summary>
    public Task WhenSendAllowed()
    {
        lock (_gate) return _unstalled.Task;
    }

    /// <summary>Changes the settings <paramref name="settings"/> has; its REST rules are added to those in force.</summary>
    public void Apply(FaultSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        lock (_gate)
        {
            if (settings.WebsocketUpgrade503 is { } u) _upgrade503 = u;
            if (settings.SkipSequence is { } s) _skipSequence = s;
            if (settings.RateLimitBurst is { } r) _rateLimitBurst = r;
            if (settings.LatencyMs is { } l) _latencyMs = l;
            if (settings.ClockSkewMs is { } c) _clockSkewMs = c;
            if (settings.WebsocketSendDelayMs is { } d) _sendDelayMs = d;
            if (settings.WebsocketDropEverySeconds is { } e) _dropEverySeconds = e;
            if (settings.WebsocketStall is { } stall) SetStall(stall);
            foreach (var rule in settings.Rest ?? []) _rules.Add((rule, rule.Times));
        }
        Changed?.Invoke();
    }

    /// <summary>Switches every fault off.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _upgrade503 = _skipSequence = _rateLimitBurst = _latencyMs = _sendDelayMs = _dropEverySeconds = 0;
            _clockSkewMs = 0;
            SetStall(false);
            _rules.Clear();
        }
        Changed?.Invoke();
    }

    /// <summary>What is in force now, with the counts left.</summary>
    public FaultSettings Snapshot()
    {
        lock (_gate)
        {
            return new FaultSettings
            {
                WebsocketUpgrade503 = _upgrade503,
                SkipSequence = _skipSequence,
                RateLimitBurst = _rateLimitBurst,
                LatencyMs = _latencyMs,
                ClockSkewMs = _clockSkewMs,
                WebsocketSendDelayMs = _sendDelayMs,
                WebsocketStall = _stall,
                WebsocketDropEverySeconds = _dropEverySeconds,
                Rest = _rules.Select(r => r.Rule with { Times = r.Left }).ToList(),
            };
        }
    }

    public bool TryRefuseUpgrade() => TryConsume(ref _upgrade503);

    public bool TrySkipSequence() => TryConsume(ref _skipSequence);

    public bool TryRateLimitBurst() => TryConsume(ref _rateLimitBurst);

    /// <summary>
    /// The first rule matching the request, counted down (and removed when used up); null when none matches.
    /// <paramref name="afterExecute"/> picks the rules that act before the request runs (false: checked first, like a
    /// gateway's error) or after it (true: checked once the request is authenticated and about to run).
    /// </summary>
    public RestFaultRule? TryMatchRest(string method, string apiPath, bool afterExecute)
    {
        lock (_gate)
        {
            for (int i = 0; i < _rules.Count; i++)
            {
                var (rule, left) = _rules[i];
                if (rule.AfterExecute != afterExecute) continue;
                if (rule.Method is { } m && !string.Equals(m, method, StringComparison.OrdinalIgnoreCase)) continue;
                if (!PathMatches(rule.Path, apiPath)) continue;
                if (left > 0)
                {
                    left--;
                    if (left == 0) _rules.RemoveAt(i);
                    else _rules[i] = (rule, left);
                }
                return rule;
            }
            return null;
        }
    }

    /// <summary>
    /// True when <paramref name="pattern"/> (relative to <c>/trade-api/v2</c>, or absolute) matches the API path
    /// (relative to <c>/trade-api/v2</c>); a segment <c>*</c> or <c>{name}</c> matches any one segment.
    /// </summary>
    public static bool PathMatches(string pattern, string apiPath)
    {
        const string prefix = "/trade-api/v2";
        if (pattern.StartsWith(prefix, StringComparison.Ordinal)) pattern = pattern[prefix.Length..];
        var p = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var a = apiPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (p.Length != a.Length) return false;
        for (int i = 0; i < p.Length; i++)
        {
            if (p[i] == "*" || (p[i].StartsWith('{') && p[i].EndsWith('}'))) continue;
            if (!string.Equals(p[i], a[i], StringComparison.Ordinal)) return false;
        }
        return true;
    }

    private bool TryConsume(ref int counter)
    {
        lock (_gate)
        {
            if (counter == 0) return false;
            if (counter > 0) counter--;
            return true;
        }
    }

    private void SetStall(bool stall)
    {
        if (stall == _stall) return;
        _stall = stall;
        if (stall) _unstalled = NewSignal(completed: false);
        else _unstalled.TrySetResult();
    }

    private static TaskCompletionSource NewSignal(bool completed)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed) tcs.SetResult();
        return tcs;
    }
}
