using Akka.Actor;
using Trader.Actors.Coordinator;
using Trader.Actors.Decisions;
using Trader.Actors.MarketData;

namespace Trader.Actors.Monitoring;

/// <summary>Ask the market watch for every market's latest view; answered with <see cref="MarketViewsResponse"/>.</summary>
public sealed record GetMarketViews
{
    public static readonly GetMarketViews Instance = new();
}

public sealed record MarketViewsResponse(IReadOnlyList<MarketView> Markets);

/// <summary>
/// Keeps the latest view of every market for the status endpoint and the live view (<see cref="MarketWatch"/>): it
/// subscribes to the market-data events, the decisions and the actions' outcomes on the event stream and answers
/// <see cref="GetMarketViews"/> at once. Asking it never touches the market-data actor, which may be down and
/// restarting exactly when an operator wants to see why its markets are stale. A restart of this actor empties the
/// views until the next snapshots arrive.
/// </summary>
public sealed class MarketWatchActor : ReceiveActor
{
    public MarketWatchActor(IReadOnlyList<string> markets)
    {
        var watch = new MarketWatch(markets);
        Receive<MarketDataEvent>(watch.Apply);
        Receive<DecisionTaken>(watch.Apply);
        Receive<ActionResult>(r => watch.Apply(r, Context.System.Scheduler.Now));
        Receive<GetMarketViews>(_ => Sender.Tell(new MarketViewsResponse(watch.Views())));
    }

    public static Props Props(IReadOnlyList<string> markets) => Akka.Actor.Props.Create(() => new MarketWatchActor(markets));

    protected override void PreStart()
    {
        var events = Context.System.EventStream;
        events.Subscribe(Self, typeof(MarketDataEvent));
        events.Subscribe(Self, typeof(DecisionTaken));
        events.Subscribe(Self, typeof(ActionResult));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
