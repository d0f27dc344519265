using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit.Xunit2;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Trader.Actors.Coordinator;
using Trader.Actors.Hosting;
using Trader.Actors.Status;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Kalshi.Api;

namespace Trader.Actors.Tests;

public class TraderHostingTests
{
    [Fact]
    public async Task AddTrader_starts_the_coordinator_registers_it_and_shutdown_cancels_resting_orders()
    {
        var api = new FakeKalshiApi();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IKalshiApi>(api);
        builder.Services.AddTrader(TraderHocon.LoadDefaults());
        using var host = builder.Build();
        await host.StartAsync();

        var system = host.Services.GetRequiredService<ActorSystem>();
        var registry = host.Services.GetRequiredService<ActorRegistry>();
        var coordinator = await registry.GetAsync<TraderCoordinator>();
        var probe = new TestKit(system);

        probe.AwaitAssert(() =>
        {
            coordinator.Tell(GetTraderStatus.Instance, probe.TestActor);
            Assert.Equal(TraderState.Ready, probe.ExpectMsg<TraderStatusReport>().State);
        }, TimeSpan.FromSeconds(10));

        coordinator.Tell(new SubmitAction("d1", "MKT", OrderIntent.BuyYes, Price.Parse("0.40"), Quantity.FromContracts(2)), probe.TestActor);
        Assert.Equal(ActionOutcome.Placed, probe.ExpectMsg<ActionResult>().Outcome);
        Assert.Contains(host.Services.GetRequiredService<StatusLogStore>().Current.Entries, e => e.Status == "ready");

        await host.StopAsync();
        Assert.Single(api.Cancels);
        Assert.Equal(ExchangeOrderStatus.Canceled, api.Orders.Single().Status);
    }
}
