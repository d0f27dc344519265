using Akka.Actor;
using Trader.Actors.Coordinator;
using Trader.Actors.Monitoring;
using Trader.Actors.Orders;
using Trader.Kalshi.Streaming;
using Trader.Kalshi.Wire;

namespace Trader.Actors.Streams;

/// <summary>
/// The account stream: <c>fill</c> and <c>user_orders</c>. Fills go to the coordinator (which de-duplicates them
/// against the REST poll by trade id); order updates go to the order actor through the coordinator. Optional: while it
/// is down, fills arrive through the REST poll and orders through sync.
/// </summary>
public sealed class UserStreamActor : StreamActor
{
    public const string Name = "user-stream";

    public UserStreamActor(KalshiStreamOptions options, StreamContext context, IActorRef coordinator, TraderMetrics metrics)
        : base(Name, required: false, options, context, coordinator, metrics)
    {
        Receive<FillMessage>(f => Coordinator.Tell(new FillsReceived([f.Fill], "stream")));
        Receive<UserOrderMessage>(u =>
        {
            if (u.Order is { } order) Coordinator.Tell(new ExchangeOrderUpdated(order, u.LastUpdateReason));
        });
        Receive<MarketPositionMessage>(_ => { });
    }

    public static Props Props(KalshiStreamOptions options, StreamContext context, IActorRef coordinator, TraderMetrics metrics) =>
        Akka.Actor.Props.Create(() => new UserStreamActor(options, context, coordinator, metrics));

    protected override SubscriptionRequest Subscription => new([StreamChannels.Fill, StreamChannels.UserOrders]);
}
