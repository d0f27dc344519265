using Microsoft.Extensions.Logging;
using Trader.Exchange.Agents;
using Trader.Exchange.Events;

namespace Trader.Exchange.Server;

/// <summary>
/// The single door to the engine. <see cref="SimulatedExchange"/> is single-threaded, so every call into it — REST
/// handlers, WebSocket commands, the control endpoint, the timers — goes through <see cref="Run{T}"/>, which holds one
/// lock for the call and for handing the events it produced, in order, to the <see cref="IExchangeEventListener"/>
/// (the WebSocket hub). Because a subscription's snapshot is taken under the same lock as every later event is
/// published, a snapshot and the deltas after it always fit together.
/// <para>
/// Two timers drive the exchange when nobody calls it: the clock (<see cref="SimulatedExchange.AdvanceTime"/>: opens,
/// closes, expiries, settlements on schedule) and the liquidity agents (<see cref="LiquiditySimulation.Step"/>).
/// </para>
/// </summary>
internal sealed class ExchangeHost : IDisposable
{
    private readonly object _gate = new();
    private readonly SimulatedExchange _exchange;
    private readonly ExchangeEvents _events;
    private readonly ILogger _log;
    private readonly List<ITimer> _timers = [];
    private IExchangeEventListener? _listener;
    private bool _disposed;

    public ExchangeHost(SimulatorOptions options, ILogger log)
    {
        _log = log;
        var exchangeOptions = options.Exchange ?? new ExchangeOptions { Seed = options.Seed };
        _exchange = options.MarketsFile is { } file
            ? SimulatedExchange.FromMarketFile(file, options.Time, exchangeOptions)
            : SimulatedExchange.WithDefaultMarkets(options.Time, exchangeOptions);
        _events = _exchange.Events ?? throw new InvalidOperationException("the exchange was built without its event buffer");
        if (options.LiquidityInterval is not null)
            Liquidity = new LiquiditySimulation(_exchange, options.Liquidity ?? new LiquidityOptions { Seed = options.Seed });
        _events.Drain(); // the agents' opening deposits: nobody is listening yet
    }

    public LiquiditySimulation? Liquidity { get; }

    /// <summary>Where events go from now on (set once, before the server takes requests).</summary>
    public void Listen(IExchangeEventListener listener) => _listener = listener;

    /// <summary>Calls into the engine under the lock and publishes what the call changed before releasing it.</summary>
    public T Run<T>(Func<SimulatedExchange, T> call)
    {
        lock (_gate)
        {
            try
            {
                return call(_exchange);
            }
            finally
            {
                Publish();
            }
        }
    }

    public void Run(Action<SimulatedExchange> call) => Run(x =>
    {
        call(x);
        return 0;
    });

    /// <summary>Runs the liquidity agents <paramref name="steps"/> times now (the control endpoint's way to make the market move).</summary>
    public int StepLiquidity(int steps)
    {
        if (Liquidity is null) return 0;
        lock (_gate)
        {
            for (int i = 0; i < steps; i++)
            {
                Liquidity.Step();
                Publish();
            }
        }
        return steps;
    }

    /// <summary>Starts the clock timer and, when the agents are on, the liquidity timer.</summary>
    public void StartTimers(TimeProvider time, TimeSpan clockInterval, TimeSpan? liquidityInterval)
    {
        _timers.Add(time.CreateTimer(_ => Tick(x => x.AdvanceTime(), "clock"), null, clockInterval, clockInterval));
        if (Liquidity is { } agents && liquidityInterval is { } every)
            _timers.Add(time.CreateTimer(_ => Tick(_ => agents.Step(), "liquidity"), null, every, every));
    }

    private void Tick(Action<SimulatedExchange> action, string what)
    {
        try
        {
            lock (_gate)
            {
                if (_disposed) return;
                try
                {
                    action(_exchange);
                }
                finally
                {
                    Publish();
                }
            }
        }
        catch (Exception e)
        {
            // A timer must not die silently: the exchange would stop moving. Log and keep ticking.
            _log.LogError(e, "simulated exchange: the {Timer} timer failed", what);
        }
    }

    private void Publish()
    {
        if (_events.Count == 0) return;
        var events = _events.Drain();
        _listener?.OnEvents(events);
    }

    public void Dispose()
    {
        lock (_gate) _disposed = true;
        foreach (var t in _timers) t.Dispose();
        _timers.Clear();
    }
}

/// <summary>Receives the engine's events, in order, under the engine's lock: must not block.</summary>
internal interface IExchangeEventListener
{
    void OnEvents(IReadOnlyList<ExchangeEvent> events);
}
