using Trader.Core.Observations;

namespace Trader.Core.Tests;

public class ObservationLayoutTests
{
    [Fact]
    public void Groups_cover_the_52_features_without_overlap()
    {
        Assert.Equal(ObservationLayout.Length, ObservationLayout.MarketCount + ObservationLayout.TemporalCount + ObservationLayout.PortfolioCount + ObservationLayout.OrderCount);
        Assert.Equal(ObservationLayout.MarketStart + ObservationLayout.MarketCount, ObservationLayout.TemporalStart);
        Assert.Equal(ObservationLayout.TemporalStart + ObservationLayout.TemporalCount, ObservationLayout.PortfolioStart);
        Assert.Equal(ObservationLayout.PortfolioStart + ObservationLayout.PortfolioCount, ObservationLayout.OrderStart);
        var names = Enumerable.Range(0, ObservationLayout.Length).Select(ObservationLayout.NameOf).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal("total_volume_norm", ObservationLayout.NameOf(ObservationLayout.TotalVolume));
        Assert.Equal("cash_ratio", ObservationLayout.NameOf(ObservationLayout.CashRatio));
        Assert.Equal("has_open_buy", ObservationLayout.NameOf(ObservationLayout.HasOpenBuy));
    }
}
